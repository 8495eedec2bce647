"""Version 1 of the builtin problem taxonomies, and the five focus areas of the seed round.

The wording follows the Party's published formulations as the office uses them; an office
that words them differently makes a new version instead of editing these rows, so a
working paper classified under version 1 keeps its class.
"""

from django.db import migrations

# (code, name, [(item code, item name), ...]); "4.1" is a child of "4".
TAXONOMIES = [
    (
        "sigeluoshi",
        "四个落实",
        [
            ("1", "落实党的路线方针政策和党中央重大决策部署"),
            ("2", "落实全面从严治党战略部署"),
            ("3", "落实新时代党的组织路线"),
            ("4", "落实巡视整改和主题教育整改"),
        ],
    ),
    (
        "liuweiraoyijiaqiang",
        "六围绕一加强",
        [
            ("1", "围绕党的政治建设"),
            ("2", "围绕党的思想建设"),
            ("3", "围绕党的组织建设"),
            ("4", "围绕党的作风建设"),
            ("5", "围绕党的纪律建设"),
            ("6", "围绕夺取反腐败斗争压倒性胜利"),
            ("7", "加强党的全面领导"),
        ],
    ),
    (
        "sangejujiao",
        "三个聚焦",
        [
            ("1", "聚焦党的路线方针政策和党中央决策部署在基层的落实情况"),
            ("2", "聚焦群众身边腐败问题和不正之风"),
            ("3", "聚焦基层党组织软弱涣散、组织力欠缺问题"),
        ],
    ),
    (
        "liuxiangjilv",
        "六项纪律",
        [
            ("1", "政治纪律"),
            ("2", "组织纪律"),
            ("3", "廉洁纪律"),
            ("4", "群众纪律"),
            ("5", "工作纪律"),
            ("6", "生活纪律"),
        ],
    ),
    (
        "henan-10-6-focus",
        "十届省委第六轮巡视监督重点",
        [
            ("1", "党的路线方针政策和党中央重大决策贯彻落实情况"),
            ("1.1", "习近平总书记调研指导河南工作时的重要讲话指示批示贯彻落实情况"),
            ("2", "新时代党的建设总要求贯彻落实情况"),
            ("3", "集中整治形式主义、官僚主义问题"),
            ("3.1", "被巡视党组织自身存在的形式主义、官僚主义问题"),
            ("3.2", "管理的下级党组织存在的形式主义、官僚主义问题"),
            ("4", "解决关系群众切身利益实际问题情况"),
            ("4.1", "脱贫攻坚领域截留挪用、与民争利"),
            ("4.2", "农地非农化背后的利益输送"),
            ("4.3", "村霸、宗族势力、黄赌毒、黑恶势力以及涉黑保护伞"),
            ("4.4", "教育医疗、环境保护、食品药品安全等方面侵害群众利益"),
            ("5", "重点人、关键岗位和重点领域监管情况"),
        ],
    ),
]


def forwards(apps, schema_editor):
    Taxonomy = apps.get_model("inspections", "Taxonomy")
    Item = apps.get_model("inspections", "TaxonomyItem")
    for code, name, items in TAXONOMIES:
        if Taxonomy.objects.filter(code=code).exists():
            continue
        taxonomy = Taxonomy.objects.create(code=code, name=name, version=1, builtin=True)
        by_code = {}
        for position, (item_code, item_name) in enumerate(items, start=1):
            parent = by_code.get(item_code.rpartition(".")[0]) if "." in item_code else None
            by_code[item_code] = Item.objects.create(
                taxonomy=taxonomy,
                code=item_code,
                name=item_name,
                parent=parent,
                position=position,
            )


def backwards(apps, schema_editor):
    Taxonomy = apps.get_model("inspections", "Taxonomy")
    Item = apps.get_model("inspections", "TaxonomyItem")
    codes = [code for code, _name, _items in TAXONOMIES]
    items = Item.objects.filter(taxonomy__code__in=codes, taxonomy__version=1)
    # Children first: the parent link is PROTECT.
    items.filter(parent__isnull=False).delete()
    items.delete()
    Taxonomy.objects.filter(code__in=codes, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
