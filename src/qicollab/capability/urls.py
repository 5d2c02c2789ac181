from django.urls import path

from qicollab.capability import views
from qicollab.capability import views_training as training

app_name = "capability"

urlpatterns = [
    path("", views.home, name="home"),
    path("assess/", views.assess, name="assess"),
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("capability/", views.aggregates, name="aggregates"),
    path("subjects/defaults/", views.seed_subjects, name="seed_subjects"),
    # Training records
    path("training/", training.course_list, name="course_list"),
    path("training/mine/", training.my_training, name="my_training"),
    path("training/records/", training.training_records, name="training_records"),
    path("training/courses/new/", training.course_new, name="course_new"),
    path("training/courses/<slug:slug>/", training.course_detail, name="course_detail"),
    path("training/courses/<slug:slug>/edit/", training.course_edit, name="course_edit"),
    path("training/courses/<slug:slug>/cohorts/new/", training.cohort_new, name="cohort_new"),
    path("training/cohorts/<int:pk>/", training.cohort_detail, name="cohort_detail"),
    path("training/cohorts/<int:pk>/edit/", training.cohort_edit, name="cohort_edit"),
    path("training/cohorts/<int:pk>/enrol/", training.cohort_enrol, name="cohort_enrol"),
    path(
        "training/cohorts/<int:pk>/dates/<int:session_pk>/attendance/",
        training.attendance_mark,
        name="attendance_mark",
    ),
    path(
        "training/enrolments/<int:pk>/complete/",
        training.enrolment_complete,
        name="enrolment_complete",
    ),
    path(
        "training/enrolments/<int:pk>/withdraw/",
        training.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path(
        "training/enrolments/<int:pk>/certificate.pdf",
        training.certificate,
        name="certificate",
    ),
]
