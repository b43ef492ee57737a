"""Who may see an item of the network (an organisation's profile, activity, offer, channel note).

Every item of the directory carries one of these. "Members" are the signed-in people of the network
(approved representatives, moderators, organisers: organisations.permissions.is_network_member);
"private" items are seen only by their own organisation's representatives and the moderators.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members of the network")
    PRIVATE = "private", _("Only our organisation and the organisers")
