"""GET /files/<pk>/ for every role: the bytes as a download for those who may see them, 404 for
an attachment outside one's scope, 403 for a role without access, and an audit event each time."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.files import storage
from xunshi.files.actions import attachment_store

from . import samples


@pytest.fixture
def files(world):  # type: ignore[no-untyped-def]
    def put(inspection, audience, name, data):  # type: ignore[no-untyped-def]
        return attachment_store(
            actor=world.users["bob"],
            inspection=inspection,
            upload=(name, data),
            audience=audience,
        )

    return {
        "team": put(world.inspection1, "team", "谈话记录.pdf", samples.pdf()),
        "rectification": put(world.inspection1, "rectification", "整改通知.docx", samples.docx()),
        "other_team": put(world.inspection2, "team", "底稿.txt", samples.text()),
        "other_rectification": put(world.inspection2, "rectification", "通知.png", samples.png()),
    }


EXPECTED = {
    "alice": {"team": 200, "rectification": 200, "other_team": 200, "other_rectification": 200},
    "gina": {"team": 200, "rectification": 200, "other_team": 200, "other_rectification": 200},
    "bob": {"team": 200, "rectification": 200, "other_team": 404, "other_rectification": 404},
    "carol": {"team": 200, "rectification": 200, "other_team": 404, "other_rectification": 404},
    "dave": {"team": 404, "rectification": 404, "other_team": 200, "other_rectification": 200},
    "erin": {"team": 404, "rectification": 200, "other_team": 404, "other_rectification": 404},
    "sam": dict.fromkeys(["team", "rectification", "other_team", "other_rectification"], 403),
    "sue": dict.fromkeys(["team", "rectification", "other_team", "other_rectification"], 403),
    "aud": dict.fromkeys(["team", "rectification", "other_team", "other_rectification"], 403),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_each_role_gets_exactly_the_attachments_of_its_scope(world, files, login, who):
    client = login(world.users[who])
    for key, status in EXPECTED[who].items():
        response = client.get(reverse("attachment_download", args=[files[key].pk]))
        assert response.status_code == status, (who, key)
        downloads = AuditEvent.objects.filter(
            action="files.attachment.download", object_id=str(files[key].pk)
        )
        assert downloads.exists() == (status == 200), (who, key)


def test_a_stranger_is_sent_to_the_login_page(world, files, client):
    url = reverse("attachment_download", args=[files["team"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert not AuditEvent.objects.filter(action="files.attachment.download").exists()


def test_a_missing_attachment_is_404(world, login):
    assert (
        login(world.users["alice"]).get(reverse("attachment_download", args=[999])).status_code
        == 404
    )


def test_it_sends_the_bytes_as_a_download_that_is_not_cached_or_sniffed(world, files, login):
    response = login(world.users["carol"]).get(
        reverse("attachment_download", args=[files["team"].pk])
    )
    assert response.content == samples.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"attachment.pdf\"; filename*=utf-8''" + quote("谈话记录.pdf")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(samples.pdf()))


def test_the_download_is_in_the_audit_trail_with_who_and_what(world, files, login):
    login(world.users["erin"]).get(reverse("attachment_download", args=[files["rectification"].pk]))
    event = AuditEvent.objects.get(action="files.attachment.download")
    assert (event.actor_username, event.actor_role) == ("erin", "liaison")
    assert event.object_type == "files.attachment"
    assert event.object_id == str(files["rectification"].pk)
    assert event.object_repr == f"附件#{files['rectification'].pk}"  # never the file's name
    assert event.after["sha256"] == files["rectification"].sha256


def test_a_file_changed_on_disk_is_not_sent(world, files, login):
    attachment = files["team"]
    path = storage.path_for(attachment.stored_name)
    # The file is sealed (SM4-GCM): one bit flipped in it and it no longer opens.
    sealed = bytearray(path.read_bytes())
    sealed[-20] ^= 0x01
    path.write_bytes(bytes(sealed))
    response = login(world.users["carol"]).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 500
    assert b"%PDF" not in response.content
    assert "附件“谈话记录.pdf”的存储内容与上传时不一致" in response.content.decode()
    assert not AuditEvent.objects.filter(action="files.attachment.download").exists()
    damaged = AuditEvent.objects.get(action="files.attachment.damaged")
    assert damaged.actor_username == "carol"


def test_only_get_downloads(world, files, login):
    client = login(world.users["carol"])
    url = reverse("attachment_download", args=[files["team"].pk])
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 405
    assert not AuditEvent.objects.filter(action="files.attachment.download").exists()
