from django.contrib.auth import views as auth_views

from civicmeet.core.ratelimits import limit_login_view

from .forms import LoginForm


@limit_login_view
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
