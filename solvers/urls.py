from django.urls import path

from . import views

app_name = "solvers"

urlpatterns = [
    path("challenges/", views.my_challenges, name="my_challenges"),
]
