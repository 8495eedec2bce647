"""The office's page: it lists the versions, takes a changed template and refuses one with an
unknown placeholder, naming it; the preview renders a version with the sample; another role
gets 403."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from xunshi.doctemplates.queries import current_version, shipped

from .edits import edited

KIND = "supervision_notice"


def _post(client, content: bytes, note: str = ""):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("督办函.docx", content)
    url = reverse("doctemplate_upload", args=[KIND])
    return client.post(url, {"file": upload, "note": note}, follow=True)


def test_it_takes_a_changed_template_and_refuses_an_unknown_placeholder(world, login):
    client = login(world.users["alice"])
    page = client.get(reverse("doctemplate_list")).content.decode()
    assert "督办函 · 现行第1版" in page and "{{ unit }}" in page

    refused = _post(client, edited(shipped(KIND), "{{ unit }}", "{{ danwei }}")).content.decode()
    assert "模板中有未知的占位符：{{ danwei }}。" in refused
    assert current_version(world.body, KIND) == 1

    taken = _post(client, edited(shipped(KIND), "现予督办", "特此督办"), note="改一句")
    assert "已启用模板第2版；此前生成的公文不变。" in taken.content.decode()
    assert current_version(world.body, KIND) == 2

    preview = client.get(reverse("doctemplate_preview", args=[KIND, 2]))
    text = "\n".join(p.text for p in Document(io.BytesIO(preview.content)).paragraphs)
    assert "特此督办" in text and "兰考县：" in text
    raw = client.get(reverse("doctemplate_preview", args=[KIND, 2]) + "?template=1")
    assert "{{ unit }}" in "\n".join(p.text for p in Document(io.BytesIO(raw.content)).paragraphs)

    back = client.post(reverse("doctemplate_restore", args=[KIND, 1]), follow=True)
    assert "已恢复第1版的模板，作为第3版启用。" in back.content.decode()


def test_it_keeps_the_templates_from_everyone_but_the_office(world, login):
    for name in ("gina", "bob", "erin"):
        client = login(world.users[name])
        assert client.get(reverse("doctemplate_list")).status_code == 403
        assert _post(client, shipped(KIND)).status_code == 403
    assert current_version(world.body, KIND) == 1
