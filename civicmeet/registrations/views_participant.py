# Placeholder: replaced by the participant UI work.
from django.views.generic import View

RegisterView = PersonalView = ReceivedView = EditView = CancelView = View
