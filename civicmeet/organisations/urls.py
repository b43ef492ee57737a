from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("images/<str:digest>.webp", views.image_variant, name="image"),
]
