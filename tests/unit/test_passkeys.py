"""Rules for officials' passkeys: registration, sign-in, and the leader's confirmation of each signing.

A software authenticator (tests/support) plays the browser and the phone; the service under test runs py_webauthn
on what it sends, exactly as it will on what Chrome sends.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.adapters.memory_passkeys import MemoryChallengeStore, MemoryPasskeyStore
from motcua.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, Unauthenticated
from motcua.services.passkeys import (
    PasskeyService,
    PendingChallenge,
    binding_for,
    relying_party_for,
)
from support.soft_authenticator import ExcludedCredentialError, SoftAuthenticator, b64url, b64url_decode

ORIGIN = "https://dichvucong.dongnai.gov.vn"
RP_ID = "dichvucong.dongnai.gov.vn"
PDF_A = hashlib.sha256(b"%PDF-1.7 result for dossier A").hexdigest()
PDF_B = hashlib.sha256(b"%PDF-1.7 result for dossier B").hexdigest()


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


class World:
    """The service with in-memory stores, a clock tests move, and helpers that run whole ceremonies."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.credentials = MemoryPasskeyStore()
        self.challenges = MemoryChallengeStore(self.clock)
        self.service = PasskeyService(self.credentials, self.challenges, self.clock, rp_id=RP_ID,
                                      rp_name="Dịch vụ công Đồng Nai", origin=ORIGIN)

    def register(self, official_id: str, authenticator: SoftAuthenticator, **forge):
        challenge_id, options = self.service.registration_options(
            official_id=official_id, user_name=f"{official_id}@dongnai.gov.vn", display_name="Nguyễn Văn An")
        return self.service.verify_registration(challenge_id, authenticator.create(options, **forge),
                                                device_label="Điện thoại công vụ")

    def login(self, authenticator: SoftAuthenticator, **forge) -> str:
        challenge_id, options = self.service.authentication_options()
        return self.service.verify_authentication(challenge_id, authenticator.get(options, **forge), purpose="login")


def refused(error: pytest.ExceptionInfo[DomainError]) -> str:
    return error.value.code


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def phone() -> SoftAuthenticator:
    return SoftAuthenticator(origin=ORIGIN)


# ------------------------------------------------------------------------------------------------ happy paths


def test_an_official_registers_a_passkey_then_signs_in_with_it(world, phone):
    stored = world.register("can-bo-1", phone)
    assert stored.official_id == "can-bo-1"
    assert stored.device_label == "Điện thoại công vụ"
    assert stored.transports == ("internal", "hybrid")
    assert world.credentials.get(stored.credential_id) == stored

    assert world.login(phone) == "can-bo-1"
    used = world.credentials.get(stored.credential_id)
    assert used.sign_count == 1 and used.last_used_at == world.clock.now()


def test_registration_options_ask_for_a_verified_discoverable_es256_or_rs256_passkey(world):
    _, options = world.service.registration_options(official_id="can-bo-1", user_name="an", display_name="An")
    assert options["rp"] == {"id": RP_ID, "name": "Dịch vụ công Đồng Nai"}
    assert b64url_decode(options["user"]["id"]) == b"can-bo-1"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert [p["alg"] for p in options["pubKeyCredParams"]] == [-7, -257]
    assert options["attestation"] == "none"
    assert options["timeout"] == 120_000
    json.dumps(options)  # ready for the browser as is


def test_registration_options_exclude_the_officials_existing_passkeys(world, phone):
    first = world.register("can-bo-1", phone)
    _, options = world.service.registration_options(official_id="can-bo-1", user_name="an", display_name="An")
    assert [b64url_decode(c["id"]) for c in options["excludeCredentials"]] == [first.credential_id]
    with pytest.raises(ExcludedCredentialError):
        phone.create(options)  # the browser stops before creating a duplicate
    _, others = world.service.registration_options(official_id="can-bo-2", user_name="binh", display_name="Bình")
    assert others["excludeCredentials"] == []


def test_the_same_credential_cannot_be_registered_twice(world, phone):
    first = world.register("can-bo-1", phone)
    with pytest.raises(Conflict) as error:
        world.register("can-bo-2", SoftAuthenticator(origin=ORIGIN), credential_id=first.credential_id)
    assert refused(error) == "credential_already_registered"
    assert world.credentials.get(first.credential_id).official_id == "can-bo-1"


def test_sign_in_offers_every_discoverable_passkey_and_the_passkey_says_who_signs_in(world, phone):
    world.register("can-bo-1", phone)
    other_phone = SoftAuthenticator(origin=ORIGIN)
    world.register("can-bo-2", other_phone)
    _, options = world.service.authentication_options()
    assert options["allowCredentials"] == []
    assert options["userVerification"] == "required"
    assert options["rpId"] == RP_ID
    assert world.login(other_phone) == "can-bo-2"
    assert world.login(phone) == "can-bo-1"


def test_authenticators_that_always_report_counter_zero_keep_working(world):
    synced = SoftAuthenticator(origin=ORIGIN, counter_step=0)
    world.register("can-bo-1", synced)
    assert world.login(synced) == "can-bo-1"
    assert world.login(synced) == "can-bo-1"


# ------------------------------------------------------------------------------------------------ challenges


def test_a_login_challenge_cannot_be_used_twice(world, phone):
    world.register("can-bo-1", phone)
    challenge_id, options = world.service.authentication_options()
    response = phone.get(options)
    assert world.service.verify_authentication(challenge_id, response, purpose="login") == "can-bo-1"
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_authentication(challenge_id, response, purpose="login")
    assert refused(error) == "challenge_used_or_expired"


def test_a_captured_response_does_not_answer_a_fresh_challenge(world, phone):
    world.register("can-bo-1", phone)
    challenge_id, options = world.service.authentication_options()
    captured = phone.get(options)
    world.service.verify_authentication(challenge_id, captured, purpose="login")
    fresh_id, _ = world.service.authentication_options()
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_authentication(fresh_id, captured, purpose="login")
    assert refused(error) == "challenge_mismatch"


def test_a_failed_attempt_uses_the_challenge_up(world, phone):
    world.register("can-bo-1", phone)
    challenge_id, options = world.service.authentication_options()
    with pytest.raises(Unauthenticated):
        world.service.verify_authentication(challenge_id, phone.get(options, user_verified=False), purpose="login")
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_authentication(challenge_id, phone.get(options), purpose="login")
    assert refused(error) == "challenge_used_or_expired"


def test_an_expired_challenge_is_refused(world, phone):
    world.register("can-bo-1", phone)
    challenge_id, options = world.service.authentication_options()
    world.clock.advance(minutes=2)
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_authentication(challenge_id, phone.get(options), purpose="login")
    assert refused(error) == "challenge_used_or_expired"


def test_an_expired_registration_challenge_is_refused(world, phone):
    challenge_id, options = world.service.registration_options(official_id="can-bo-1", user_name="an",
                                                               display_name="An")
    world.clock.advance(minutes=3)
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_registration(challenge_id, phone.create(options), device_label="x")
    assert refused(error) == "challenge_used_or_expired"
    assert world.credentials.for_official("can-bo-1") == []


def test_unknown_or_odd_challenge_ids_are_refused_alike(world, phone):
    world.register("can-bo-1", phone)
    _, options = world.service.authentication_options()
    for challenge_id in ("nope", "", "x" * 10_000, None, 42, ["a"]):
        with pytest.raises(Unauthenticated) as error:
            world.service.verify_authentication(challenge_id, phone.get(options), purpose="login")
        assert refused(error) == "challenge_used_or_expired"


def test_a_challenge_only_serves_the_purpose_it_was_issued_for(world, phone):
    world.register("can-bo-1", phone)
    challenge_id, options = world.service.authentication_options()
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_authentication(challenge_id, phone.get(options), purpose="sign")
    assert refused(error) == "challenge_purpose_mismatch"

    registration_id, _ = world.service.registration_options(official_id="can-bo-1", user_name="an",
                                                            display_name="An")
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_authentication(registration_id, phone.get(options), purpose="login")
    assert refused(error) == "challenge_purpose_mismatch"


def test_a_registration_response_does_not_sign_in(world, phone):
    world.register("can-bo-1", phone)
    challenge_id, options = world.service.authentication_options()
    with pytest.raises(Unauthenticated) as error:
        world.service.verify_authentication(challenge_id, phone.get(options, client_data_type="webauthn.create"),
                                            purpose="login")
    assert refused(error) == "wrong_ceremony"


def test_only_one_of_two_racing_requests_takes_a_challenge():
    store = MemoryChallengeStore()
    store.put(PendingChallenge(id="c1", challenge=b"x" * 32, purpose="login", official_id=None, binding=None,
                               expires_at=datetime(2030, 1, 1, tzinfo=UTC)))
    results: list[object] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        barrier.wait()
        results.append(store.take("c1"))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1


def test_the_challenge_store_forgets_expired_challenges_and_caps_what_it_holds():
    clock = Clock()
    store = MemoryChallengeStore(clock, max_pending=3)

    def pending(i: int) -> PendingChallenge:
        return PendingChallenge(id=f"c{i}", challenge=b"x", purpose="login", official_id=None, binding=None,
                                expires_at=clock.now() + timedelta(minutes=2))

    for i in range(5):
        store.put(pending(i))
    assert len(store) == 3 and store.take("c0") is None and store.take("c4") is not None
    clock.advance(minutes=5)
    store.put(pending(9))
    assert len(store) == 1


# ------------------------------------------------------------------------------------------------ the authenticator


OTHER_ORIGIN = "https://dichvucong-dongnai.example"


@pytest.mark.parametrize(
    ("forge", "code"),
    [
        pytest.param({"user_verified": False}, "user_verification_required", id="no-user-verification"),
        pytest.param({"user_present": False}, "user_presence_required", id="no-user-presence"),
        pytest.param({"origin": OTHER_ORIGIN}, "origin_mismatch", id="another-origin"),
        pytest.param({"rp_id": "example.gov.vn"}, "rp_id_mismatch", id="another-relying-party"),
        pytest.param({"sign_with": ec.generate_private_key(ec.SECP256R1())}, "invalid_signature", id="wrong-key"),
        pytest.param({"user_handle": b"can-bo-2"}, "user_handle_mismatch", id="someone-elses-user-handle"),
    ],
)
def test_a_forged_sign_in_is_refused(world, phone, forge, code):
    world.register("can-bo-1", phone)
    with pytest.raises(Unauthenticated) as error:
        world.login(phone, **forge)
    assert refused(error) == code


@pytest.mark.parametrize(
    ("forge", "code"),
    [
        pytest.param({"user_verified": False}, "user_verification_required", id="no-user-verification"),
        pytest.param({"origin": OTHER_ORIGIN}, "origin_mismatch", id="another-origin"),
        pytest.param({"rp_id": "dongnai.gov.vn"}, "rp_id_mismatch", id="another-relying-party"),
    ],
)
def test_a_forged_registration_is_refused_and_stores_nothing(world, phone, forge, code):
    with pytest.raises(Unauthenticated) as error:
        world.register("can-bo-1", phone, **forge)
    assert refused(error) == code
    assert world.credentials.for_official("can-bo-1") == []


def test_a_passkey_that_was_never_registered_is_refused(world, phone):
    world.register("can-bo-1", phone)
    stranger = SoftAuthenticator(origin=ORIGIN)
    _, options = world.service.registration_options(official_id="can-bo-9", user_name="x", display_name="X")
    stranger.create(options)  # created on the device, never sent to the server
    with pytest.raises(Unauthenticated) as error:
        world.login(stranger)
    assert refused(error) == "unknown_credential"


def test_a_sign_in_without_a_user_handle_is_accepted(world, phone):
    world.register("can-bo-1", phone)
    assert world.login(phone, user_handle=None) == "can-bo-1"  # userHandle is optional for assertions


def test_a_counter_that_does_not_move_forward_means_a_cloned_authenticator(world, phone):
    stored = world.register("can-bo-1", phone)
    assert world.login(phone, counter=5) == "can-bo-1"
    for stale in (5, 3, 0):
        with pytest.raises(Unauthenticated) as error:
            world.login(phone, counter=stale)
        assert refused(error) == "authenticator_cloned"
    assert world.credentials.get(stored.credential_id).sign_count == 5
    assert world.login(phone, counter=6) == "can-bo-1"


# ------------------------------------------------------------------------------------------------ signing


def test_a_leader_confirms_a_signing_with_their_passkey(world, phone):
    stored = world.register("lanh-dao-1", phone)
    binding = binding_for(["HS-001"], [PDF_A])
    challenge_id, options = world.service.authentication_options(purpose="sign", official_id="lanh-dao-1",
                                                                 binding=binding)
    assert [b64url_decode(c["id"]) for c in options["allowCredentials"]] == [stored.credential_id]
    assert options["userVerification"] == "required"
    verified = world.service.verify_assertion(challenge_id, phone.get(options), purpose="sign", binding=binding)
    assert verified.official_id == "lanh-dao-1"
    assert verified.credential_id == stored.credential_id
    assert verified.device_label == "Điện thoại công vụ"


def test_the_webauthn_challenge_ends_with_the_sha256_of_the_binding(world, phone):
    world.register("lanh-dao-1", phone)
    binding = binding_for(["HS-001", "HS-002"], [PDF_A, PDF_B])
    _, first = world.service.authentication_options(purpose="sign", official_id="lanh-dao-1", binding=binding)
    _, second = world.service.authentication_options(purpose="sign", official_id="lanh-dao-1", binding=binding)
    for options in (first, second):
        challenge = b64url_decode(options["challenge"])
        assert len(challenge) == 48
        assert challenge[16:] == hashlib.sha256(binding.encode()).digest()
    assert first["challenge"] != second["challenge"]  # the random half still makes each one unique


def test_a_confirmation_for_one_set_of_documents_does_not_sign_another(world, phone):
    world.register("lanh-dao-1", phone)
    shown = binding_for(["HS-001"], [PDF_A])
    challenge_id, options = world.service.authentication_options(purpose="sign", official_id="lanh-dao-1",
                                                                 binding=shown)
    with pytest.raises(Forbidden) as error:
        world.service.verify_authentication(challenge_id, phone.get(options), purpose="sign",
                                            binding=binding_for(["HS-001"], [PDF_B]))
    assert refused(error) == "binding_mismatch"


def test_a_signing_confirmation_needs_the_binding_it_was_issued_for(world, phone):
    world.register("lanh-dao-1", phone)
    shown = binding_for(["HS-001"], [PDF_A])
    challenge_id, options = world.service.authentication_options(purpose="sign", official_id="lanh-dao-1",
                                                                 binding=shown)
    with pytest.raises(Forbidden) as error:
        world.service.verify_authentication(challenge_id, phone.get(options), purpose="sign", binding=None)
    assert refused(error) == "binding_mismatch"


def test_another_officials_passkey_cannot_confirm_a_leaders_signing(world, phone):
    world.register("lanh-dao-1", phone)
    colleague_phone = SoftAuthenticator(origin=ORIGIN)
    colleague = world.register("chuyen-vien-2", colleague_phone)
    binding = binding_for(["HS-001"], [PDF_A])
    challenge_id, options = world.service.authentication_options(purpose="sign", official_id="lanh-dao-1",
                                                                 binding=binding)
    # The browser would not offer it (allowCredentials), but a hostile client can send whatever it likes.
    forged = colleague_phone.get(options, credential_id=colleague.credential_id)
    with pytest.raises(Forbidden) as error:
        world.service.verify_authentication(challenge_id, forged, purpose="sign", binding=binding)
    assert refused(error) == "credential_not_owned"


def test_signing_needs_a_leader_with_a_passkey_and_a_binding(world, phone):
    with pytest.raises(Conflict) as error:
        world.service.authentication_options(purpose="sign", official_id="lanh-dao-1", binding="b")
    assert refused(error) == "no_passkey"
    world.register("lanh-dao-1", phone)
    with pytest.raises(InvalidInput) as error:
        world.service.authentication_options(purpose="sign", official_id="lanh-dao-1")
    assert refused(error) == "invalid_binding"
    with pytest.raises(InvalidInput):
        world.service.authentication_options(purpose="sign", binding="b")
    with pytest.raises(InvalidInput):
        world.service.authentication_options(purpose="register")


def test_binding_for_ignores_the_order_of_dossiers_but_keeps_each_pdf_with_its_dossier():
    one_way = binding_for(["HS-001", "HS-002"], [PDF_A, PDF_B])
    assert binding_for(["HS-002", "HS-001"], [PDF_B, PDF_A]) == one_way
    assert binding_for(["HS-001", "HS-002"], [PDF_B, PDF_A]) != one_way  # PDFs swapped between dossiers
    assert binding_for(["HS-001"], [PDF_A]) != one_way
    assert binding_for(["HS-001", "HS-002"], [PDF_A.upper(), PDF_B]) == one_way
    assert one_way.startswith("motcua-sign-v1:")
    for ids, pdfs in ([[], []], [["HS-001"], []], [["HS-001"], ["not-a-digest"]], [[""], [PDF_A]],
                      [["HS-001", "HS-001"], [PDF_A, PDF_A]], ["HS-001", [PDF_A]]):
        with pytest.raises(InvalidInput):
            binding_for(ids, pdfs)


# ------------------------------------------------------------------------------------------------ hostile input


def test_malformed_credentials_are_invalid_input(world, phone):
    world.register("can-bo-1", phone)
    good = None
    cases = [
        "", "{", "[]", "null", "x" * 200_000, 42, None, [], {"id": 1},
        lambda g: {**g, "type": "password"},
        lambda g: {**g, "rawId": g["rawId"][:-2]},
        lambda g: {**g, "id": g["id"] + "!", "rawId": g["rawId"] + "!"},
        lambda g: {**g, "response": "nope"},
        lambda g: {**g, "response": {**g["response"], "signature": 12}},
        lambda g: {**g, "response": {**g["response"], "signature": "A" * 100_000}},
        lambda g: {**g, "response": {**g["response"], "authenticatorData": "%%%"}},
        lambda g: {**g, "response": {**g["response"], "authenticatorData": b64url(b"short")}},
        lambda g: {**g, "response": {**g["response"], "clientDataJSON": b64url(b"not json")}},
        lambda g: {**g, "response": {**g["response"], "clientDataJSON": b64url(b'{"type": 1}')}},
        lambda g: {**g, "response": {**g["response"], "userHandle": 7}},
    ]
    for case in cases:
        challenge_id, options = world.service.authentication_options()
        good = phone.get(options)
        credential = case(good) if callable(case) else case
        with pytest.raises(InvalidInput) as error:
            world.service.verify_authentication(challenge_id, credential, purpose="login")
        assert refused(error) == "invalid_credential", case


def test_the_response_may_arrive_as_a_json_string(world, phone):
    challenge_id, options = world.service.registration_options(official_id="can-bo-1", user_name="an",
                                                               display_name="An")
    world.service.verify_registration(challenge_id, json.dumps(phone.create(options)), device_label="")
    assert world.credentials.for_official("can-bo-1")[0].device_label == "Khoá truy cập"
    challenge_id, options = world.service.authentication_options()
    assert world.service.verify_authentication(challenge_id, json.dumps(phone.get(options)),
                                               purpose="login") == "can-bo-1"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
b64_strings = st.binary(max_size=300).map(b64url) | st.text(max_size=80)
shaped = st.fixed_dictionaries({
    "id": b64_strings, "rawId": b64_strings, "type": st.sampled_from(["public-key", "x"]),
    "response": st.fixed_dictionaries({
        "clientDataJSON": b64_strings, "authenticatorData": b64_strings, "signature": b64_strings,
        "attestationObject": b64_strings, "userHandle": st.none() | b64_strings,
    }),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk=json_values | shaped | st.text(max_size=300) | st.binary(max_size=50) | shaped.map(json.dumps))
def test_random_junk_never_escapes_as_an_unexpected_exception(junk):
    world = World()
    phone = SoftAuthenticator(origin=ORIGIN)
    world.register("can-bo-1", phone)
    challenge_id, _ = world.service.authentication_options()
    with pytest.raises((InvalidInput, Unauthenticated)):
        world.service.verify_authentication(challenge_id, junk, purpose="login")
    challenge_id, _ = world.service.registration_options(official_id="can-bo-2", user_name="b", display_name="B")
    with pytest.raises((InvalidInput, Unauthenticated)):
        world.service.verify_registration(challenge_id, junk, device_label="x")


def _flip(text: str, position: int, bit: int) -> str:
    data = bytearray(b64url_decode(text))
    if not data:
        return text
    data[position % len(data)] ^= 1 << bit
    return b64url(bytes(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(["clientDataJSON", "authenticatorData", "signature", "userHandle"]),
       position=st.integers(min_value=0, max_value=10_000), bit=st.integers(min_value=0, max_value=7))
def test_any_flipped_bit_in_a_genuine_assertion_is_refused(field, position, bit):
    world = World()
    phone = SoftAuthenticator(origin=ORIGIN)
    world.register("can-bo-1", phone)
    challenge_id, options = world.service.authentication_options()
    genuine = phone.get(options)
    tampered = {**genuine, "response": {**genuine["response"]}}
    tampered["response"][field] = _flip(genuine["response"][field], position, bit)
    with pytest.raises((InvalidInput, Unauthenticated)):
        world.service.verify_authentication(challenge_id, tampered, purpose="login")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(["clientDataJSON", "attestationObject"]),
       position=st.integers(min_value=0, max_value=10_000), bit=st.integers(min_value=0, max_value=7))
def test_a_flipped_bit_in_a_registration_never_ends_in_an_unexpected_exception(field, position, bit):
    world = World()
    phone = SoftAuthenticator(origin=ORIGIN)
    challenge_id, options = world.service.registration_options(official_id="can-bo-1", user_name="a",
                                                               display_name="A")
    genuine = phone.create(options)
    tampered = {**genuine, "response": {**genuine["response"]}}
    tampered["response"][field] = _flip(genuine["response"][field], position, bit)
    try:
        # A "none" attestation is not signed, so a few bits can change without anyone noticing (the AAGUID, the
        # initial counter, the backup flags) and registering succeeds; every other flip must be a clean refusal.
        stored = world.service.verify_registration(challenge_id, tampered, device_label="x")
    except (InvalidInput, Unauthenticated):
        return
    # Whatever was accepted is a working passkey.
    assert world.login(phone, counter=stored.sign_count + 1) == stored.official_id


# ------------------------------------------------------------------------------------------------ configuration


@pytest.mark.parametrize(("url", "expected"), [
    ("https://dichvucong.dongnai.gov.vn", ("dichvucong.dongnai.gov.vn", "https://dichvucong.dongnai.gov.vn")),
    ("https://DichVuCong.DongNai.gov.vn:443/app/", ("dichvucong.dongnai.gov.vn",
                                                     "https://dichvucong.dongnai.gov.vn")),
    ("https://dvc.example.vn:8443", ("dvc.example.vn", "https://dvc.example.vn:8443")),
    ("http://localhost:8080", ("localhost", "http://localhost:8080")),
    ("https://dịchvụcông.vn", ("xn--dchvcng-x0a0689dsha.vn", "https://xn--dchvcng-x0a0689dsha.vn")),
])
def test_the_relying_party_comes_from_the_public_base_url(url, expected):
    assert relying_party_for(url) == expected


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://[::1]:8080", "http://dvc.example.vn",
                                 "ftp://dvc.example.vn", "dvc.example.vn"])
def test_relying_parties_browsers_would_refuse_are_rejected_at_start_up(url):
    with pytest.raises(ValueError):
        relying_party_for(url)


def test_base64url_helpers_round_trip():
    for data in (b"", b"\x00", b"\xff" * 33):
        assert b64url_decode(b64url(data)) == data
        assert base64.urlsafe_b64decode(b64url(data) + "===") == data
