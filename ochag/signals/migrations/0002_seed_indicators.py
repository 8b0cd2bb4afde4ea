"""Seed the screening checklist of domain reference §6: each indicator with its colour and
whether it is poverty-type (P)."""

from django.db import migrations

# (code, colour, poverty, Russian, English)
INDICATORS = [
    ("caregiver_intoxicated", "red", False, "Законные представители в состоянии опьянения", "Caregivers intoxicated"),
    ("child_alone_under_10", "red", False, "Ребёнок младше 10 лет оставлен дома один", "Child under 10 home alone"),
    ("no_food", "red", True, "Нет еды", "No food"),
    ("no_medicine", "red", True, "Нет лекарств для больного ребёнка", "No medicine for a sick child"),
    ("no_housing", "red", True, "Нет жилья", "No housing"),
    ("infirm_caregiver_alone", "red", False,
     "Немощный или пожилой взрослый один с младенцем, ребёнком-инвалидом или подопечным",
     "Infirm or elderly caregiver alone with an infant, disabled child or ward"),
    ("child_unlawful_acts", "red", False, "Ребёнок вовлечён в противоправные действия", "Child in unlawful acts"),
    ("signs_of_violence", "red", False, "Признаки насилия", "Signs of violence"),
    ("unsanitary_housing", "amber", True, "Антисанитария в жилье", "Unsanitary housing"),
    ("no_heating_power", "amber", True, "Нет отопления или электричества", "No heating or electricity"),
    ("no_clothing_supplies", "amber", True, "Нет сезонной одежды или школьных принадлежностей",
     "No seasonal clothing or school supplies"),
    ("benefits_misused", "amber", False, "Детские пособия расходуются не по назначению", "Child benefits misused"),
    ("parent_addiction_psych", "amber", False, "Родитель на учёте у нарколога или психиатра",
     "Parent registered with addiction or psychiatric services"),
    ("persistent_truancy", "amber", False, "Систематические пропуски школы", "Persistent truancy"),
    ("missed_medical", "amber", False, "Пропуск медосмотров или отказ от лечения",
     "Missed medical checks or refused treatment"),
    ("cruelty", "amber", False, "Жестокое обращение", "Cruelty"),
    ("long_unemployment", "yellow", True, "Длительная безработица", "Long unemployment"),
    ("low_income", "yellow", True, "Хронически низкий доход", "Chronic low income"),
    ("housing_debt", "yellow", True, "Долг за жильё более 6 месяцев", "Housing debt over 6 months"),
    ("material_aid_requests", "yellow", True, "Повторные обращения за материальной помощью",
     "Repeated material-aid requests"),
    ("family_conflict", "yellow", False, "Конфликт в семье", "Family conflict"),
    ("disabled_member_care", "yellow", False, "Член семьи с инвалидностью нуждается в уходе",
     "Disabled member needing care"),
    ("preschoolers_single_large", "yellow", False,
     "Двое и более дошкольников у одинокого родителя или в многодетной семье",
     "2+ preschoolers with a single parent or in a large family"),
    ("newborn_abandonment_risk", "yellow", False, "Риск отказа от новорождённого", "Risk of abandoning a newborn"),
    ("adaptation_difficulties", "yellow", False, "Ребёнок с трудностями адаптации", "Child with adaptation difficulties"),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("signals", "Indicator")
    for order, (code, colour, poverty, ru, en) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code, defaults={"colour": colour, "poverty": poverty, "name_ru": ru, "name_en": en, "order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("signals", "Indicator").objects.filter(code__in=[i[0] for i in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
