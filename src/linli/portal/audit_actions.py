"""The audit log's action codes in words, for the audit page's column and its choice of actions.

The codes are written by every app (`audit_record(action=...)`); the portal, above them all,
names them in one table. The workflow steps of grid events and service cases take the label of
their transition, so a new transition is named where it is defined. `tests/test_audit_page.py`
fails when code writes an action this table does not name.
"""

from __future__ import annotations

from linli.care.domain import AUDIT_ACTIONS as CARE_ACTIONS
from linli.charity.domain import AUDIT_ACTIONS as CHARITY_ACTIONS
from linli.consultation.domain import AUDIT_ACTIONS as CONSULTATION_ACTIONS
from linli.core.errors import Msg
from linli.grid_events.domain import TRANSITIONS as GRID_TRANSITIONS
from linli.mediation.domain import AUDIT_ACTIONS as MEDIATION_ACTIONS
from linli.partners.domain import AUDIT_ACTIONS as PARTNERS_ACTIONS
from linli.service_desk.domain import TRANSITIONS as CASE_TRANSITIONS
from linli.timebank.domain import AUDIT_ACTIONS as TIMEBANK_ACTIONS
from linli.ventures.domain import AUDIT_ACTIONS as VENTURES_ACTIONS
from linli.volunteers.domain import AUDIT_ACTIONS as VOLUNTEERS_ACTIONS
from linli.welfare.domain import AUDIT_ACTIONS as WELFARE_ACTIONS

NAMED: dict[str, Msg] = {
    # accounts and the platform
    "login.succeeded": Msg("登录成功", "Signed in"),
    "login.failed": Msg("登录失败", "Sign-in failed"),
    "login.locked": Msg("登录锁定", "Log-in locked"),
    "login.unlock": Msg("解除登录锁定", "Log-in unlocked"),
    "password.change": Msg("修改密码", "Password changed"),
    "password.reset": Msg("重置密码", "Password reset"),
    "second_factor.enrol": Msg("设置第二重验证", "Second factor set up"),
    "second_factor.failed": Msg("第二重验证失败", "Second factor failed"),
    "second_factor.recovery_code_used": Msg("使用恢复码登录", "Recovery code used"),
    "second_factor.recovery_codes": Msg("重新生成恢复码", "Recovery codes renewed"),
    "second_factor.reset": Msg("重置第二重验证", "Second factor reset"),
    "token.issue": Msg("签发接口令牌", "API token issued"),
    "token.revoke": Msg("吊销接口令牌", "API token revoked"),
    "data_key.rotate": Msg("轮换数据密钥", "Data key rotated"),
    "posting.add": Msg("授予岗位", "Posting granted"),
    "posting.end": Msg("结束岗位", "Posting ended"),
    # areas
    "divisions.import": Msg("导入行政区划", "Divisions imported"),
    "boundaries.import": Msg("导入区划边界", "Boundaries imported"),
    "departments.ensure": Msg("建立职能部门", "Departments set up"),
    "building.create": Msg("新增楼院", "Building added"),
    # residents
    "resident.reveal": Msg("查看敏感信息", "Personal data revealed"),
    "reveal_rights.change": Msg("修改敏感信息查看权限", "Reveal rights changed"),
    "resident.export": Msg("导出居民信息", "Residents exported"),
    "resident.import": Msg("导入居民信息", "Residents imported"),
    "resident.import.upload": Msg("上传居民导入文件", "Resident import file uploaded"),
    "resident.applicant_lookup": Msg("按身份证号查找申请人", "Applicant looked up by ID number"),
    "resident.search_exact": Msg("按身份证号精确查找", "Exact search by ID number"),
    "resident.add": Msg("登记居民", "Resident added"),
    "resident.move_in": Msg("居民迁入", "Resident moved in"),
    "resident.move_out": Msg("居民迁出", "Resident moved out"),
    "resident.death": Msg("登记死亡", "Death recorded"),
    "resident.deregister": Msg("注销居民", "Resident deregistered"),
    "care.add": Msg("纳入关爱对象", "Added to a care list"),
    "care.end": Msg("移出关爱对象", "Removed from a care list"),
    "household.register": Msg("登记户", "Household registered"),
    "visit.record": Msg("记录走访", "Visit recorded"),
    # service desk
    "catalogue.version": Msg("发布事项新版本", "Catalogue item version published"),
    "catalogue.active": Msg("启用或停用事项", "Catalogue item switched on or off"),
    "catalogue.form": Msg("上传事项表格", "Catalogue form uploaded"),
    "calendar.day_set": Msg("设置工作日历", "Work calendar day set"),
    "calendar.schedule_set": Msg("录入全年放假安排", "Work calendar: a year's schedule entered"),
    "desk.notice_issue": Msg("出具一次性告知书", "One-time notice issued"),
    "desk.window_save": Msg("保存窗口信息", "Service window saved"),
    "desk.windows_seed": Msg("建立服务窗口", "Service windows set up"),
    "case.intake": Msg("办件：收件", "Case: intake"),
    "case.submit": Msg("办件：网上申请", "Case: applied online"),
    "case.receipt": Msg("办件：打印受理回执", "Case: acceptance receipt printed"),
    "case.export": Msg("办件：导出", "Case: exported"),
    "case.proxy_consent": Msg("办件：代办授权", "Case: proxy consent"),
    "case.material_upload": Msg("办件：上传材料", "Case: material uploaded"),
    "case.material_read": Msg("办件：查看材料", "Case: material viewed"),
    "case.file_handoff": Msg("办件：纸质材料交接", "Case: paper file handed over"),
    "case.follow_up": Msg("办件：整改回访", "Case: follow-up call"),
    "case.rectification_close": Msg("办件：整改结束", "Case: rectification closed"),
    # grid events
    "grid.report": Msg("网格事件：上报", "Grid event: reported"),
    "grid.check_in": Msg("网格事件：吹哨报到", "Grid event: checked in"),
    "grid.supervise": Msg("网格事件：督办", "Grid event: supervision notice"),
    "grid.supervision_answer": Msg("网格事件：答复督办", "Grid event: supervision answered"),
    "grid.photo_read": Msg("网格事件：查看照片", "Grid event: photo viewed"),
    "grid.publish": Msg("网格事件：在公开列表中显示", "Grid event: shown in the public list"),
    "grid.unpublish": Msg("网格事件：从公开列表中隐藏", "Grid event: hidden from the public list"),
    "grid.category_save": Msg("保存事件分类", "Event category saved"),
    "grid.category_route": Msg("设置分类派遣部门", "Category routing set"),
    "grid.category_import": Msg("导入事件分类", "Event categories imported"),
    "grid.open311_key": Msg("签发 Open311 密钥", "Open311 key issued"),
    "grid.open311_key_revoke": Msg("停用 Open311 密钥", "Open311 key revoked"),
    # facilities
    "facility.create": Msg("新增设施", "Facility added"),
    "facility.update": Msg("修改设施", "Facility edited"),
    "facility.kind_edit": Msg("修改设施类型", "Facility kind edited"),
    "facility.circle_edit": Msg("修改生活圈距离", "Life circle distances edited"),
    "facility.roads_import": Msg("导入路网", "Road network imported"),
    "facility.analysis_start": Msg("开始覆盖分析", "Coverage analysis started"),
    # the demo city
    "demo.layout": Msg("演示：生成网格与楼院", "Demo: grids and buildings"),
    "demo.positions": Msg("演示：生成位置", "Demo: positions"),
    "demo.population": Msg("演示：生成居民", "Demo: residents"),
    "demo.grid_events": Msg("演示：生成网格事件", "Demo: grid events"),
    "demo.boundaries": Msg("演示：生成社区边界", "Demo: community boundaries"),
}


def _steps(prefix: str, zh: str, en: str, transitions) -> dict[str, Msg]:
    return {f"{prefix}.{a}": Msg(f"{zh}：{t.label.zh}", f"{en}: {t.label.en}") for a, t in transitions.items()}


ACTION_NAMES: dict[str, Msg] = {
    **_steps("case", "办件", "Case", CASE_TRANSITIONS),
    **_steps("grid", "网格事件", "Grid event", GRID_TRANSITIONS),
    **NAMED,
    # the linkage apps name their own actions (decision 0017)
    **PARTNERS_ACTIONS,
    **VOLUNTEERS_ACTIONS,
    **TIMEBANK_ACTIONS,
    **VENTURES_ACTIONS,
    **CHARITY_ACTIONS,
    # social assistance names its own actions the same way
    **WELFARE_ACTIONS,
    **CARE_ACTIONS,
    **MEDIATION_ACTIONS,
    **CONSULTATION_ACTIONS,
}


def action_is_named(code: str) -> bool:
    return code in ACTION_NAMES


def action_name(code: str) -> str:
    """The action in the reader's language; a code nobody named is shown as it is."""
    name = ACTION_NAMES.get(code)
    return str(name) if name else code


def action_choices() -> list[tuple[str, str]]:
    """Every named action, grouped by the word before the colon (sorted by name in the language)."""
    return sorted(((code, str(name)) for code, name in ACTION_NAMES.items()), key=lambda c: c[1])
