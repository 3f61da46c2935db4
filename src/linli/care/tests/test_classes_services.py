"""Classes' services: requests and votes, planning from requests, enrolment with a waiting list,
cancellation promoting the first waiting, attendance, ratings, model sites; denied paths change
nothing."""

import datetime as dt

import pytest

from linli.care.models import ClassEnrolment, ClassRequest, ClassVote, HappyClass, Lecturer, ModelSite
from linli.care.selectors.classes import (
    class_roster,
    classes_targets,
    community_rows,
    request_list,
    resident_classes,
    waiting_position,
)
from linli.care.services.classes import (
    ClassInput,
    LecturerInput,
    attendance_record,
    class_cancel,
    class_close,
    class_enrol,
    class_plan,
    class_rate,
    lecturer_add,
    model_site_designate,
    request_create,
    request_decline,
    request_unvote,
    request_vote,
)
from linli.care.tests import classes_support
from linli.care.tests.classes_support import NOW, SHUIYUANDI, TODAY, a_class, a_lecturer, classroom, session_times
from linli.core.errors import DomainError
from linli.core.models import InboxMessage

pytestmark = pytest.mark.django_db
clock = classes_support.clock
neighbours = classes_support.neighbours


def _fields(error: DomainError) -> dict[str, str]:
    return {f.field: f.message.en for f in error.value.fields}


def test_a_request_counts_its_author_and_neighbours_support_once(neighbours):
    request = request_create(
        actor=neighbours["wang"], title="智能手机使用", why="想和孙子视频", preferred_times="工作日上午"
    )
    assert (request.path, request.votes, request.state) == (SHUIYUANDI, 1, "open")
    request_vote(actor=neighbours["li"], public_id=request.public_id)
    with pytest.raises(DomainError) as error:
        request_vote(actor=neighbours["li"], public_id=request.public_id)
    assert error.value.code == "conflict"
    assert ClassRequest.objects.get(pk=request.pk).votes == 2
    request_unvote(actor=neighbours["li"], public_id=request.public_id)
    assert ClassRequest.objects.get(pk=request.pk).votes == 1
    assert ClassVote.objects.filter(request=request).count() == 1


def test_a_resident_of_another_community_cannot_vote(neighbours):
    request = request_create(actor=neighbours["wang"], title="书法", why="练字养心")
    with pytest.raises(DomainError) as error:
        request_vote(actor=neighbours["hunhewan"], public_id=request.public_id)
    assert error.value.status == 404
    assert ClassRequest.objects.get(pk=request.pk).votes == 1


def test_a_bad_request_names_each_field(neighbours):
    with pytest.raises(DomainError) as error:
        request_create(actor=neighbours["wang"], title="", why="电话 13812345678")
    assert _fields(error) == {"title": "Write the topic", "why": "Do not write an ID or phone number here"}
    assert ClassRequest.objects.count() == 0


def test_staff_cannot_request_and_the_community_ranks_by_votes(neighbours, actors):
    with pytest.raises(DomainError):
        request_create(actor=actors["community_worker"], title="书法", why="练字")
    low = request_create(actor=neighbours["wang"], title="书法", why="练字养心")
    high = request_create(actor=neighbours["li"], title="防诈骗", why="老人常被骗")
    request_vote(actor=neighbours["zhao"], public_id=high.public_id)
    assert [r.pk for r in request_list(actor=actors["community_worker"])] == [high.pk, low.pk]
    assert list(request_list(actor=actors["other_community_worker"])) == []
    assert list(request_list(actor=actors["resident"])) == []


def test_declining_needs_a_reason_shown_and_sent_to_supporters(neighbours, actors, django_capture_on_commit_callbacks):
    request = request_create(actor=neighbours["wang"], title="游泳", why="锻炼身体")
    request_vote(actor=neighbours["li"], public_id=request.public_id)
    with pytest.raises(DomainError) as error:
        request_decline(actor=actors["community_worker"], request=request, reason="")
    assert _fields(error) == {"reason": "Write the reason"}
    with pytest.raises(DomainError):
        request_decline(actor=actors["other_community_worker"], request=request, reason="社区没有泳池")
    assert ClassRequest.objects.get(pk=request.pk).state == "open"
    with django_capture_on_commit_callbacks(execute=True):
        request_decline(actor=actors["community_worker"], request=request, reason="社区没有泳池，可去区体育馆")
    request.refresh_from_db()
    assert (request.state, request.decline_reason) == ("declined", "社区没有泳池，可去区体育馆")
    assert InboxMessage.objects.filter(kind="care.class_request").count() == 2
    shown = resident_classes(actor=neighbours["li"]).requests
    assert [(r.title, r.state, r.decline_reason) for r in shown] == [("游泳", "declined", "社区没有泳池，可去区体育馆")]


def test_planning_from_requests_answers_them_and_publishing_tells_supporters(
    neighbours, actors, django_capture_on_commit_callbacks
):
    worker = actors["community_worker"]
    request = request_create(actor=neighbours["wang"], title="智能手机使用", why="想和孙子视频")
    request_vote(actor=neighbours["li"], public_id=request.public_id)
    room = classroom()
    lecturer = a_lecturer(worker)
    data = ClassInput(
        community=SHUIYUANDI,
        title="智能手机入门",
        description="",
        capacity="20",
        lecturer=str(lecturer.public_id),
        classroom=str(room.public_id),
        sessions=session_times(count=3),
        requests=[str(request.public_id)],
    )
    item = class_plan(actor=worker, data=data)
    assert (item.state, item.classroom, item.facility_ref, item.sessions.count()) == (
        "draft",
        room.name,
        room.public_id,
        3,
    )
    request.refresh_from_db()
    assert (request.state, request.happy_class_id) == ("planned", item.pk)
    with django_capture_on_commit_callbacks(execute=True):
        from linli.care.services.classes import class_publish

        class_publish(actor=worker, item=item)
    assert set(InboxMessage.objects.filter(kind="care.class_open").values_list("user_id", flat=True)) == {
        neighbours["wang"].user_id,
        neighbours["li"].user_id,
    }


def test_a_bad_plan_names_every_field_and_saves_nothing(neighbours, actors):
    data = ClassInput(
        community="210102001003",
        title="",
        description="",
        capacity="0",
        audience="everyone",
        classroom_name="",
        sessions=[(NOW - dt.timedelta(days=1), NOW)],
    )
    with pytest.raises(DomainError) as error:
        class_plan(actor=actors["community_worker"], data=data)
    assert _fields(error) == {
        "community": "Choose a community of your area",
        "title": "Write the title",
        "capacity": "Places: a whole number from 1 to 500",
        "audience": "Choose who the class is for",
        "classroom": "Choose or name the classroom",
        "sessions": "A session cannot be in the past",
    }
    assert HappyClass.objects.count() == 0


def test_enrolment_past_capacity_goes_to_the_waiting_list_in_order(neighbours, actors):
    item = a_class(actors["community_worker"], capacity=2)
    first = class_enrol(actor=neighbours["wang"], public_id=item.public_id)
    second = class_enrol(actor=neighbours["li"], public_id=item.public_id)
    third = class_enrol(actor=neighbours["zhao"], public_id=item.public_id)
    fourth = class_enrol(actor=neighbours["hunhewan"], public_id=item.public_id)  # same street
    assert [e.state for e in (first, second, third, fourth)] == ["enrolled", "enrolled", "waiting", "waiting"]
    assert (waiting_position(third), waiting_position(fourth)) == (1, 2)
    item.refresh_from_db()
    assert (item.enrolled, item.waiting) == (2, 2)
    with pytest.raises(DomainError) as error:
        class_enrol(actor=neighbours["wang"], public_id=item.public_id)
    assert error.value.code == "conflict"
    with pytest.raises(DomainError) as error:
        class_enrol(actor=neighbours["jixian"], public_id=item.public_id)  # another street
    assert error.value.status == 404
    assert ClassEnrolment.objects.count() == 4


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_told(
    neighbours, actors, django_capture_on_commit_callbacks
):
    item = a_class(actors["community_worker"], capacity=1)
    place = class_enrol(actor=neighbours["wang"], public_id=item.public_id)
    waiting = class_enrol(actor=neighbours["li"], public_id=item.public_id)
    later = class_enrol(actor=neighbours["zhao"], public_id=item.public_id)
    with pytest.raises(DomainError):
        class_cancel(actor=neighbours["li"], public_id=place.public_id)  # not hers
    with django_capture_on_commit_callbacks(execute=True):
        class_cancel(actor=neighbours["wang"], public_id=place.public_id)
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert (waiting.state, later.state, waiting_position(later)) == ("enrolled", "waiting", 1)
    item.refresh_from_db()
    assert (item.enrolled, item.waiting) == (1, 1)
    assert list(InboxMessage.objects.filter(kind="care.class_place").values_list("user_id", flat=True)) == [
        neighbours["li"].user_id
    ]
    enrolled, queue = class_roster(item)
    assert ([e.person_name for e in enrolled], [e.person_name for e in queue]) == (["李桂芳"], ["赵淑珍"])


def test_enrolment_needs_a_published_class(neighbours, actors):
    item = a_class(actors["community_worker"], publish=False)
    with pytest.raises(DomainError) as error:
        class_enrol(actor=neighbours["wang"], public_id=item.public_id)
    assert error.value.message.en == "This class is not open for enrolment"
    assert ClassEnrolment.objects.count() == 0


def test_attendance_then_a_rating_once_and_the_figures(neighbours, actors, clock):
    worker = actors["community_worker"]
    lecturer = a_lecturer(worker)
    item = a_class(worker, capacity=3, lecturer=str(lecturer.public_id))
    came = class_enrol(actor=neighbours["wang"], public_id=item.public_id)
    away = class_enrol(actor=neighbours["li"], public_id=item.public_id)
    session = item.sessions.get()
    with pytest.raises(DomainError) as error:
        attendance_record(actor=worker, session=session, present=[str(came.public_id)])
    assert error.value.message.en == "The session has not started yet"
    with pytest.raises(DomainError):
        class_rate(actor=neighbours["wang"], public_id=came.public_id, stars=5)
    clock.move_to(NOW + dt.timedelta(days=1, minutes=10))
    with pytest.raises(DomainError):
        attendance_record(actor=actors["other_community_worker"], session=session, present=[str(came.public_id)])
    attendance_record(actor=worker, session=session, present=[str(came.public_id)])
    session.refresh_from_db()
    assert session.present == 1
    with pytest.raises(DomainError) as error:
        class_rate(actor=neighbours["li"], public_id=away.public_id, stars=4)
    assert error.value.message.en == "You can rate the class after attending a session"
    class_rate(actor=neighbours["wang"], public_id=came.public_id, stars=5, comment="老师讲得很耐心")
    with pytest.raises(DomainError):
        class_rate(actor=neighbours["wang"], public_id=came.public_id, stars=1)
    item.refresh_from_db()
    lecturer.refresh_from_db()
    assert (item.rating_sum, item.rating_count, lecturer.rating_sum, lecturer.rating_count) == (5, 1, 5, 1)
    rows = {r.path: r for r in community_rows(actor=actors["street_officer"], year=TODAY.year)}
    assert (rows[SHUIYUANDI].opened, rows[SHUIYUANDI].attendances, rows[SHUIYUANDI].rating) == (True, 1, 5.0)
    assert rows["210102001003"].opened is False
    target = classes_targets(actor=actors["street_officer"], today=TODAY)[0]
    assert (target.key, target.done, target.base) == ("classes.opening", 1, 2)
    clock.move_to(NOW + dt.timedelta(days=1, hours=3))
    class_close(actor=worker, item=item)
    assert HappyClass.objects.get(pk=item.pk).state == "closed"


def test_a_class_closes_only_after_its_last_session(neighbours, actors):
    item = a_class(actors["community_worker"])
    with pytest.raises(DomainError) as error:
        class_close(actor=actors["community_worker"], item=item)
    assert error.value.message.en == "A class closes after its last session"
    assert HappyClass.objects.get(pk=item.pk).state == "open"


def test_lecturer_input_is_checked_and_the_pool_is_seen_below(actors):
    with pytest.raises(DomainError) as error:
        lecturer_add(
            actor=actors["community_worker"],
            data=LecturerInput(name="", kind="x", topics="", communities=["210102001003"], volunteer="nope"),
        )
    assert _fields(error) == {
        "name": "Write the lecturer's name",
        "topics": "Write the topics",
        "kind": "Choose what kind of lecturer",
        "communities": "Choose communities of your area",
        "volunteer": "No volunteer with that id",
    }
    assert Lecturer.objects.count() == 0
    street = lecturer_add(
        actor=actors["street_officer"],
        data=LecturerInput(name="浑河湾街道志愿讲师团", kind="volunteer", topics="养生", communities=["210102001003"]),
    )
    from linli.care.selectors.classes import lecturers_visible

    assert list(lecturers_visible(actors["community_worker"])) == [street]  # a street's pool serves its communities
    assert list(lecturers_visible(actors["other_district_admin"])) == []


def test_model_sites_are_designated_by_the_district_or_the_city(actors, tree):
    from linli.accounts.domain import Role
    from linli.accounts.selectors import actor_for_user
    from linli.testing import make_user

    with pytest.raises(DomainError) as error:
        model_site_designate(actor=actors["community_worker"], community=SHUIYUANDI, designated_on=TODAY)
    assert error.value.code == "permission_denied"
    district = actors["civil_affairs_officer"]
    site = model_site_designate(actor=district, community=SHUIYUANDI, designated_on=TODAY, document="和民发〔2026〕3号")
    assert (site.level, site.name) == ("district", "水源地社区")
    with pytest.raises(DomainError) as error:
        model_site_designate(actor=district, community=SHUIYUANDI, designated_on=TODAY)
    assert error.value.code == "conflict"
    with pytest.raises(DomainError) as error:
        model_site_designate(actor=district, community="210103001001", designated_on=TODAY)
    assert _fields(error) == {"community": "Choose a community of your area"}
    city = actor_for_user(make_user("city_care", Role.CIVIL_AFFAIRS_OFFICER, tree["210100000000"]))
    model_site_designate(actor=city, community="210103001001", designated_on=TODAY)
    assert ModelSite.objects.count() == 2
    by_key = {t.key: t for t in classes_targets(actor=city, today=TODAY)}
    assert (by_key["classes.model_sites"].done, by_key["classes.model_sites"].goal) == (2, 330)
    by_key = {t.key: t for t in classes_targets(actor=district, today=TODAY)}
    assert by_key["classes.model_sites"].done == 1
    assert [t.key for t in classes_targets(actor=actors["community_worker"], today=TODAY)] == ["classes.opening"]
    assert classes_targets(actor=actors["resident"], today=TODAY) == []
