import pytest

from ochag.access.models import Agency, AgencyType, Role, User
from ochag.core.models import AuditEvent


def test_agency_list_shows_only_scope(cast, client_for) -> None:
    page = client_for(cast.worker_a).get("/account/agencies/").content.decode()
    assert "Опека А" in page and "Министерство" in page
    assert "Опека Б" not in page
    page = client_for(cast.coordinator).get("/account/agencies/").content.decode()
    assert "Опека А" in page and "Опека Б" in page


def test_agency_detail_outsider_gets_404(cast, client_for) -> None:
    assert (
        client_for(cast.worker_b).get(f"/account/agencies/{cast.agency_a.pk}/").status_code == 404
    )
    assert (
        client_for(cast.worker_a).get(f"/account/agencies/{cast.agency_a.pk}/").status_code == 200
    )


@pytest.mark.parametrize("who", ["worker_a", "supervisor_a", "coordinator", "analyst"])
def test_agency_edit_is_read_only_for_non_admins(cast, client_for, who) -> None:
    client = client_for(getattr(cast, who))
    assert client.get(f"/account/agencies/{cast.agency_a.pk}/edit/").status_code == 403
    assert (
        client.post(f"/account/agencies/{cast.agency_a.pk}/edit/", {"name": "X"}).status_code == 403
    )
    assert client.get("/account/agencies/new/").status_code == 403


def test_agency_edit_outsider_gets_404(cast, client_for) -> None:
    assert (
        client_for(cast.worker_b).get(f"/account/agencies/{cast.agency_a.pk}/edit/").status_code
        == 404
    )


def test_admin_creates_agency_and_it_is_audited(cast, client_for) -> None:
    response = client_for(cast.admin).post(
        "/account/agencies/new/",
        {
            "name": "Школа № 7",
            "short_name": "",
            "type": AgencyType.EDUCATION,
            "territory": cast.municipality_b.pk,
            "email": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Школа № 7")
    assert AuditEvent.objects.filter(action="agency_created", object_id=str(agency.pk)).exists()


def test_agency_form_errors_keep_input_and_explain_in_russian(cast, client_for) -> None:
    response = client_for(cast.admin).post(
        "/account/agencies/new/",
        {
            "name": "Центр «Вместе»",
            "type": "no-such-type",
            "territory": "",
            "email": "not-an-email",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Обнаружены ошибки" in page
    assert "Центр «Вместе»" in page
    assert "Обязательное поле" in page
    assert 'href="#id_territory"' in page


def test_unknown_and_malformed_ids_are_404(cast, client_for) -> None:
    client = client_for(cast.admin)
    assert client.get("/account/agencies/999999/").status_code == 404
    assert client.get("/account/agencies/abc/").status_code == 404
    assert client.get("/account/staff/999999/edit/").status_code == 404


def test_user_visibility(cast, client_for) -> None:
    assert (
        client_for(cast.worker_a).get(f"/account/staff/{cast.supervisor_a.pk}/").status_code == 404
    )
    assert client_for(cast.worker_a).get(f"/account/staff/{cast.worker_a.pk}/").status_code == 200
    assert (
        client_for(cast.supervisor_a).get(f"/account/staff/{cast.worker_a.pk}/").status_code == 200
    )
    assert (
        client_for(cast.supervisor_a).get(f"/account/staff/{cast.worker_b.pk}/").status_code == 404
    )
    assert (
        client_for(cast.supervisor_a).get(f"/account/staff/{cast.worker_a.pk}/edit/").status_code
        == 403
    )
    assert client_for(cast.worker_a).get("/account/staff/").status_code == 200


def test_admin_creates_user_with_validated_password(cast, client_for) -> None:
    data = {
        "username": "new.curator",
        "last_name": "Петрова",
        "first_name": "Анна",
        "patronymic": "",
        "email": "",
        "agency": cast.agency_b.pk,
        "role": Role.CASE_CURATOR,
        "is_active": "on",
        "password": "short",
    }
    response = client_for(cast.admin).post("/account/staff/new/", data)
    assert response.status_code == 200
    assert "Обнаружены ошибки" in response.content.decode()
    assert not User.objects.filter(username="new.curator").exists()
    data["password"] = "a-long-enough-passphrase"
    response = client_for(cast.admin).post("/account/staff/new/", data)
    assert response.status_code == 302
    user = User.objects.get(username="new.curator")
    assert user.check_password("a-long-enough-passphrase")
    assert user.agency == cast.agency_b


def test_admin_cannot_attach_user_to_agency_of_another_region(cast, client_for) -> None:
    from ochag.access.tests.factories import AgencyFactory
    from ochag.core.tests.factories import TerritoryFactory

    foreign = AgencyFactory(territory=TerritoryFactory(level="region", name="Чужая область"))
    response = client_for(cast.admin).post(
        "/account/staff/new/",
        {
            "username": "x.user",
            "last_name": "Х",
            "first_name": "У",
            "agency": foreign.pk,
            "role": Role.CASE_CURATOR,
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="x.user").exists()
