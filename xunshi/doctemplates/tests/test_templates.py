"""An upload is checked before it is accepted: an unknown placeholder is refused and named,
so is a broken one or a file that is not Word; a good one becomes the next version, and going
back to an earlier version adds one more."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from xunshi.audit.models import AuditEvent
from xunshi.doctemplates.actions import template_restore, template_upload
from xunshi.doctemplates.models import DocumentTemplate, TemplateKind
from xunshi.doctemplates.queries import current_version, shipped, template_bytes
from xunshi.doctemplates.wording import check_template

from .edits import edited

KIND = "supervision_notice"


def test_it_refuses_a_template_with_an_unknown_placeholder_naming_it(world):
    content = edited(shipped(KIND), "{{ unit }}", "{{ unit_name }}")
    with pytest.raises(ValidationError) as e:
        template_upload(actor=world.users["alice"], body=world.body, kind=KIND, content=content)
    assert e.value.messages[0].startswith("模板中有未知的占位符：{{ unit_name }}。")
    assert "{{ unit }}（被巡视单位）" in e.value.messages[0]
    assert not DocumentTemplate.objects.exists() and current_version(world.body, KIND) == 1


def test_it_refuses_a_broken_placeholder_and_a_file_that_is_not_word(world):
    alice = world.users["alice"]
    broken = edited(shipped(KIND), "{{ unit }}", "{{ unit }")
    with pytest.raises(ValidationError) as e:
        template_upload(actor=alice, body=world.body, kind=KIND, content=broken)
    assert e.value.messages[0].startswith("模板第")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "不是Word")
    with pytest.raises(ValidationError) as e:
        template_upload(actor=alice, body=world.body, kind=KIND, content=out.getvalue())
    assert e.value.messages == ["上传的文件不是Word文档（.docx），请另存为.docx后再上传。"]
    assert not DocumentTemplate.objects.exists()


def test_it_keeps_every_version_and_goes_back_by_adding_one(world):
    alice = world.users["alice"]
    changed = edited(shipped(KIND), "现予督办", "特此督办")
    assert (
        template_upload(
            actor=alice, body=world.body, kind=KIND, content=changed, note="改一句"
        ).version
        == 2
    )
    back = template_restore(actor=alice, body=world.body, kind=KIND, version=1)
    assert (back.version, back.restored_from, current_version(world.body, KIND)) == (3, 1, 3)
    assert (
        template_bytes(world.body, KIND, 3) == shipped(KIND)
        and template_bytes(world.body, KIND, 2) == changed
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="doctemplates.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["doctemplates.template.restore", "doctemplates.template.upload"]
    with pytest.raises(ValidationError) as e:
        template_restore(actor=alice, body=world.body, kind=KIND, version=9)
    assert e.value.messages == ["模板没有第9版。"]


@pytest.mark.parametrize("kind", [k.value for k in TemplateKind])
def test_every_shipped_template_passes_its_own_check(kind):
    # Every placeholder of version 1 is known and it renders with the kind's sample.
    check_template(kind, shipped(kind))
