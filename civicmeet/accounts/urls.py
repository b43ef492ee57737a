from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("invitation/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("signin/", views.SignInLinkRequestView.as_view(), name="signin_link"),
    path("signin/<str:token>/", views.SignInLinkOpenView.as_view(), name="signin_link_open"),
]
