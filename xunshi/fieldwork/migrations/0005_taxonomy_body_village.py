"""Taxonomies per body, and the village focus list (对村巡察监督重点) shipped as version 1.

A taxonomy with no body is shipped with Xunshi and read by every body; a body's office keeps
its own versions (`body`), which take a shipped code's place for that body only. The
taxonomies an office typed before bodies existed were its own: they go to the top body of
the deployment (the one without a parent) when there is exactly one.

The village list follows the focus of county 巡察 of villages and communities as the
Party's documents and the counties' practice word it: the policies that reach the villagers
(惠民政策落实), the collective's funds, assets and resources (集体“三资”), the village's
Party organization (村级组织建设), the cadres' conduct (基层干部作风), the petitions the
villagers keep bringing (信访突出问题) and the rectification of earlier findings. The seed
article's concerns (与民争利、截留挪用, 农地非农化, 村霸、宗族势力) stand under them.
"""

import django.db.models.deletion
from django.db import migrations, models

VILLAGE_CODE = "xuncha-duicun"
VILLAGE_NAME = "对村巡察监督重点"
VILLAGE_ITEMS = [
    ("1", "惠民政策落实"),
    ("1.1", "党中央决策部署和上级要求在村（社区）的贯彻落实"),
    ("1.2", "巩固拓展脱贫攻坚成果、推进乡村振兴"),
    ("1.3", "惠民惠农资金和补贴的申报、发放（虚报冒领、截留挪用、优亲厚友）"),
    ("1.4", "耕地保护和农地非农化问题"),
    ("2", "集体“三资”管理"),
    ("2.1", "集体资金收支管理（白条入账、坐收坐支、“小金库”）"),
    ("2.2", "集体资产、资源的发包、租赁和处置"),
    ("2.3", "村级工程项目建设和集体经济组织经营"),
    ("3", "村级组织建设"),
    ("3.1", "村党组织领导作用发挥和组织生活（“三会一课”）"),
    ("3.2", "软弱涣散、班子不团结"),
    ("3.3", "“四议两公开”、村务公开和村务监督"),
    ("3.4", "发展党员和党员教育管理"),
    ("4", "基层干部作风"),
    ("4.1", "形式主义、官僚主义"),
    ("4.2", "吃拿卡要、与民争利、侵害群众利益"),
    ("4.3", "违规吃喝、违规收送礼品礼金等违反中央八项规定精神问题"),
    ("4.4", "村霸、宗族势力、黑恶势力干扰基层政权"),
    ("5", "信访突出问题"),
    ("5.1", "群众反映强烈、长期未解决的信访问题"),
    ("5.2", "群众急难愁盼问题"),
    ("6", "巡视巡察、审计等监督发现问题的整改"),
]


def forwards(apps, schema_editor):
    Body = apps.get_model("registry", "InspectingBody")
    Taxonomy = apps.get_model("inspections", "Taxonomy")
    Item = apps.get_model("inspections", "TaxonomyItem")
    tops = list(Body.objects.filter(parent__isnull=True).values_list("pk", flat=True)[:2])
    if len(tops) == 1:
        Taxonomy.objects.filter(builtin=False, body__isnull=True).update(body_id=tops[0])
    if Taxonomy.objects.filter(code=VILLAGE_CODE, body__isnull=True).exists():
        return
    taxonomy = Taxonomy.objects.create(
        code=VILLAGE_CODE, name=VILLAGE_NAME, version=1, builtin=True
    )
    by_code = {}
    for position, (code, name) in enumerate(VILLAGE_ITEMS, start=1):
        by_code[code] = Item.objects.create(
            taxonomy=taxonomy,
            code=code,
            name=name,
            parent=by_code.get(code.rpartition(".")[0]),
            position=position,
        )


def backwards(apps, schema_editor):
    Taxonomy = apps.get_model("inspections", "Taxonomy")
    Item = apps.get_model("inspections", "TaxonomyItem")
    items = Item.objects.filter(taxonomy__code=VILLAGE_CODE, taxonomy__body__isnull=True)
    # Children first: the parent link is PROTECT.
    items.filter(parent__isnull=False).delete()
    items.delete()
    Taxonomy.objects.filter(code=VILLAGE_CODE, body__isnull=True).delete()
    # The bodies' own versions cannot be told apart once their body is gone.
    Taxonomy.objects.filter(body__isnull=False).update(body=None)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0004_papercounter_into_numberseries"),
        ("registry", "0006_body_parent_cadre_body"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="taxonomy",
            name="taxonomy_unique_version",
        ),
        migrations.AddField(
            model_name="taxonomy",
            name="body",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="taxonomies",
                to="registry.inspectingbody",
                verbose_name="所属党组织",
            ),
        ),
        migrations.AddConstraint(
            model_name="taxonomy",
            constraint=models.UniqueConstraint(
                condition=models.Q(("body__isnull", True)),
                fields=("code", "version"),
                name="taxonomy_unique_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="taxonomy",
            constraint=models.UniqueConstraint(
                condition=models.Q(("body__isnull", False)),
                fields=("body", "code", "version"),
                name="taxonomy_unique_body_version",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
