from django.contrib.auth import views as auth_views

from civicmeet.core.ratelimits import limit_login_view


@limit_login_view
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
