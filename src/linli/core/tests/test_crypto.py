import base64

import pytest
from django.test import override_settings

from linli.core.crypto import DecryptionError, blind_index, mask_id_number, mask_phone, seal, sealed_key_id, unseal

OLD, NEW = b"o" * 32, b"n" * 32


def test_seal_round_trips_and_is_not_deterministic():
    first, second = seal("210102199001011234", context="t"), seal("210102199001011234", context="t")
    assert first != second and "210102199001011234" not in first
    assert unseal(first, context="t") == "210102199001011234"


def test_ciphertext_moved_to_another_column_does_not_open():
    with pytest.raises(DecryptionError):
        unseal(seal("13812345678", context="resident.phone"), context="resident.id_number")


def test_tampered_ciphertext_does_not_open():
    sealed = seal("13812345678", context="t")
    body = bytearray(base64.urlsafe_b64decode(sealed.split(".", 2)[2]))
    body[-1] ^= 1
    with pytest.raises(DecryptionError):
        unseal(f"v1.1.{base64.urlsafe_b64encode(bytes(body)).decode()}", context="t")


def test_old_key_still_opens_after_rotation():
    with override_settings(LINLI_DATA_KEYS={1: OLD}, LINLI_DATA_KEY_ID=1):
        sealed = seal("secret", context="t")
    with override_settings(LINLI_DATA_KEYS={1: OLD, 2: NEW}, LINLI_DATA_KEY_ID=2):
        assert unseal(sealed, context="t") == "secret"
        assert sealed_key_id(seal("secret", context="t")) == 2
    with override_settings(LINLI_DATA_KEYS={2: NEW}, LINLI_DATA_KEY_ID=2), pytest.raises(DecryptionError):
        unseal(sealed, context="t")


def test_blind_index_is_stable_keyed_and_context_bound():
    assert blind_index("13812345678", context="p") == blind_index("13812345678", context="p")
    assert blind_index("13812345678", context="p") != blind_index("13812345678", context="q")
    assert blind_index("", context="p") == ""


def test_blind_index_changes_with_the_index_key():
    before = blind_index("13812345678", context="p")
    with override_settings(LINLI_INDEX_KEY=b"k" * 32):
        assert blind_index("13812345678", context="p") != before


def test_masks():
    assert mask_id_number("210102199001011234") == "210102********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("123") == "***"
