"""The one typed settings object, read from ``LINLI_*`` environment variables once.

Every value is validated here so that a bad deployment fails at start-up with the name of the
variable and the reason, not with a confusing error on the first request.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A development-only key: usable for the demo and tests, refused by `check --deploy`.
DEV_SECRET_KEY = "linli-insecure-development-key-change-me-0123456789abcdef"  # noqa: S105 (refused by check --deploy)
DEV_DATA_KEY = base64.b64encode(b"linli-dev-data-key-not-for-prod!").decode()
DEV_INDEX_KEY = base64.b64encode(b"linli-dev-index-key-not-for-prod").decode()


NOTIFY_CHANNELS = frozenset({"inbox", "log", "email", "sms", "wechat"})


# what social assistance can decide for the desk (`LINLI_WELFARE_DESK_ITEMS`)
WELFARE_DESK_KINDS = ("dibao", "tekun", "edge", "rigid", "temporary")


class LinliSettings(BaseSettings):
    """All settings an operator can change. Keep `.env.example` in sync (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="LINLI_", extra="ignore", frozen=True)

    debug: bool = False
    data_dir: Path = Field(default=Path("var"))
    database_url: str = ""
    secret_key: str = DEV_SECRET_KEY
    data_keys: str = Field(default=f"1:{DEV_DATA_KEY}")
    data_key_id: int = 1
    index_key: str = DEV_INDEX_KEY
    redis_url: str = ""
    allowed_hosts: str = "127.0.0.1,localhost"
    csrf_trusted_origins: str = ""
    open311_cors_origins: str = ""
    secure_https: bool = False
    trust_x_forwarded_for: bool = False
    task_backend: Literal["immediate", "database", "redis"] = "database"
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    language: Literal["zh-hans", "en"] = "zh-hans"
    token_ttl_hours: int = Field(default=24 * 7, ge=1, le=24 * 365)
    pool_stats_minutes: int = Field(default=5, ge=1, le=24 * 60)
    import_retention_days: int = Field(default=7, ge=1, le=365)
    notify_channels: str = "inbox,log"
    sms_gateway_url: str = ""
    wechat_gateway_url: str = ""
    rectification_working_days: int = Field(default=15, ge=1, le=60)
    office_hours: str = "08:30-12:00,13:30-17:30"
    city_bounds: str = ""
    duplicate_radius_m: int = Field(default=100, ge=5, le=5000)
    duplicate_window_hours: int = Field(default=72, ge=1, le=24 * 90)
    router_min_confidence: float = Field(default=0.6, ge=0.0, le=1.0)
    router_dir: str = ""
    map_tiles_url: str = ""
    map_tiles_attribution: str = ""
    login_failure_limit: int = Field(default=5, ge=3, le=100)
    login_cooloff_minutes: int = Field(default=15, ge=1, le=24 * 60)
    staff_idle_minutes: int = Field(default=30, ge=5, le=24 * 60)
    resident_idle_minutes: int = Field(default=7 * 24 * 60, ge=5, le=30 * 24 * 60)
    welfare_desk_items: str = "SQ001:dibao,SQ002:tekun,SQ003:edge,SQ004:rigid,SQ005:temporary"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"sqlite", "postgres", "postgresql"}:
            raise ValueError("must start with sqlite:// or postgres:// (须为 sqlite:// 或 postgres://)")
        return value

    @field_validator("welfare_desk_items")
    @classmethod
    def _welfare_desk_items(cls, value: str) -> str:
        for pair in (p.strip() for p in value.split(",") if p.strip()):
            code, _, kind = pair.partition(":")
            if not code.strip() or not kind.strip():
                raise ValueError("must be item:kind pairs, e.g. SQ001:dibao (须为 事项编码:类别，如 SQ001:dibao)")
            if kind.strip() not in WELFARE_DESK_KINDS:
                known = ", ".join(WELFARE_DESK_KINDS)
                raise ValueError(f"unknown kind {kind.strip()!r}; one of {known} (类别须为其中之一)")
        return value

    def welfare_desk_item_map(self) -> dict[str, str]:
        pairs = (p.strip().partition(":") for p in self.welfare_desk_items.split(",") if p.strip())
        return {code.strip(): kind.strip() for code, _, kind in pairs}

    @field_validator("open311_cors_origins")
    @classmethod
    def _open311_cors_origins(cls, value: str) -> str:
        origins = [o.strip() for o in value.split(",") if o.strip()]
        if origins == ["*"]:
            return value
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path or parts.query:
                raise ValueError(
                    f"'{origin[:60]}' is not an origin: use scheme://host[:port], comma-separated, or * alone"
                    " (须为 scheme://主机[:端口]，逗号分隔，或单独一个 *)"
                )
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("must start with redis:// (须为 redis://)")
        return value

    @field_validator("notify_channels")
    @classmethod
    def _notify_channels(cls, value: str) -> str:
        unknown = {c.strip() for c in value.split(",") if c.strip()} - NOTIFY_CHANNELS
        if unknown:
            raise ValueError(f"unknown channels {sorted(unknown)}; known: {sorted(NOTIFY_CHANNELS)} (未知的通知渠道)")
        return value

    @field_validator("office_hours")
    @classmethod
    def _office_hours(cls, value: str) -> str:
        from linli.workdays.domain import parse_office_hours

        try:
            parse_office_hours(value)
        except ValueError:
            raise ValueError(
                "must be ordered HH:MM-HH:MM spans, e.g. 08:30-12:00,13:30-17:30 (格式应为 时:分-时:分)"
            ) from None
        return value

    @field_validator("city_bounds")
    @classmethod
    def _city_bounds(cls, value: str) -> str:
        if not value:
            return value
        try:
            south, west, north, east = (float(x) for x in value.split(","))
        except ValueError:
            raise ValueError("must be south,west,north,east in degrees (须为 南,西,北,东 经纬度)") from None
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise ValueError("south < north and west < east, in degrees (南纬应小于北纬、西经应小于东经)")
        return value

    @field_validator("sms_gateway_url", "wechat_gateway_url", "map_tiles_url")
    @classmethod
    def _gateway_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in {"http", "https"}:
            raise ValueError("must start with http:// or https:// (须为 http:// 或 https://)")
        return value

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str) -> str:
        if len(value) < 32:
            raise ValueError("must be at least 32 characters (至少 32 个字符)")
        return value

    @field_validator("data_keys")
    @classmethod
    def _data_keys(cls, value: str) -> str:
        parse_data_keys(value)
        return value

    @field_validator("index_key")
    @classmethod
    def _index_key(cls, value: str) -> str:
        parse_data_keys(f"0:{value}")
        return value

    def keyring(self) -> dict[int, bytes]:
        return parse_data_keys(self.data_keys)

    def index_key_bytes(self) -> bytes:
        return parse_data_keys(f"0:{self.index_key}")[0]

    def open311_cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.open311_cors_origins.split(",") if o.strip()]

    def host_list(self) -> list[str]:
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]


def parse_data_keys(value: str) -> dict[int, bytes]:
    """Parse ``id:base64key,id:base64key`` into a keyring of 256-bit AES keys."""
    keys: dict[int, bytes] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        key_id, sep, encoded = part.partition(":")
        if not sep or not key_id.isdigit():
            raise ValueError(f"'{part[:8]}…' is not id:base64key (格式应为 编号:base64密钥)")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"key {key_id} is not valid base64 (密钥 {key_id} 不是有效的 base64)") from exc
        if len(raw) != 32:
            raise ValueError(f"key {key_id} must decode to 32 bytes (密钥 {key_id} 须为 32 字节)")
        keys[int(key_id)] = raw
    if not keys:
        raise ValueError("at least one key is required (至少需要一个密钥)")
    return keys


class ConfigurationError(SystemExit):
    """Raised at start-up; exits with a readable list of the bad variables."""


@lru_cache(maxsize=1)
def load() -> LinliSettings:
    try:
        settings = LinliSettings()
    except ValidationError as exc:
        lines = [f"  LINLI_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()]
        raise ConfigurationError("Invalid configuration (配置有误):\n" + "\n".join(lines)) from None
    if settings.data_key_id not in settings.keyring():
        raise ConfigurationError(
            f"Invalid configuration (配置有误):\n  LINLI_DATA_KEY_ID: {settings.data_key_id} "
            "is not in LINLI_DATA_KEYS (不在密钥环中)"
        )
    return settings
