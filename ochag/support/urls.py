from django.urls import path

from ochag.support.views import coverage, directory, public, referrals, tasks

app_name = "support"

urlpatterns = [
    path("", directory.provider_list, name="providers"),
    path("providers/new/", directory.provider_form, name="provider_create"),
    path("providers/<int:pk>/", directory.provider_detail, name="provider"),
    path("providers/<int:pk>/edit/", directory.provider_form, name="provider_edit"),
    path(
        "providers/<int:provider_pk>/services/new/", directory.service_form, name="service_create"
    ),
    path("services/<int:pk>/edit/", directory.service_form, name="service_edit"),
    path("catalogue/", directory.catalogue, name="catalogue"),
    path("services/", coverage.service_list, name="services"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage.xlsx", coverage.coverage_xlsx, name="coverage_xlsx"),
    path("regional-list.xlsx", directory.regional_list, {"file_format": "xlsx"}, name="list_xlsx"),
    path("regional-list.pdf", directory.regional_list, {"file_format": "pdf"}, name="list_pdf"),
    path("catalogue/new/", directory.service_type_form, name="service_type_create"),
    path("catalogue/<int:pk>/edit/", directory.service_type_form, name="service_type_edit"),
    path("referrals/", referrals.referral_list, name="referrals"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral"),
    path("referrals/<int:pk>/answer/", referrals.referral_answer, name="referral_answer"),
    path("referrals/<int:pk>/withdraw/", referrals.referral_withdraw, name="referral_withdraw"),
    path("referrals/<int:pk>/delivery/", referrals.delivery_add, name="delivery_add"),
    path("cases/<int:case_pk>/", referrals.case_support, name="case"),
    path("cases/<int:case_pk>/refer/", referrals.referral_new, name="referral_create"),
    path("tasks/<int:task_pk>/need/", tasks.task_need, name="task_need"),
    path(
        "signals/<int:signal_pk>/refer/",
        referrals.referral_new_from_signal,
        name="signal_referral_create",
    ),
    path("cases/<int:case_pk>/family-link/", referrals.family_link_new, name="family_link_create"),
    path("family-links/<int:pk>/revoke/", referrals.family_link_revoke, name="family_link_revoke"),
]

public_urlpatterns = [
    path("nearby/", public.help_directory, name="help"),
    path("family/", public.family_page, name="family"),
]
