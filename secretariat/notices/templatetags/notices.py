"""Template helpers of notices: how the reader follows a body."""

from django import template

from ..models import Follow

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_mode(context, body) -> str | None:
    """The reader's choice for this body ("off" when none), None for the public."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None

    return (
        Follow.objects.filter(user=user, body=body).values_list("mode", flat=True).first() or "off"
    )
