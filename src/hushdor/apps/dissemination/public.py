"""Self-service subscriptions (the public page): a person asks, a confirmation goes to the address (a
link by e-mail, a six-digit code by SMS), and only a confirmed subscription receives warnings. Rate
limits per network address and per address asked for."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hushdor.apps.dissemination import channels
from hushdor.apps.dissemination.models import Channel, Subscription
from hushdor.apps.dissemination.services import SubscriptionError, subscription_create

PUBLIC_CHANNELS = (Channel.EMAIL, Channel.SMS)


MAX_REQUESTS_PER_IP_HOUR = 5


MAX_REQUESTS_PER_ADDRESS_DAY = 3


MAX_CODE_ATTEMPTS = 5


class RateLimited(SubscriptionError):
    """Too many requests from one place or for one address: try again later."""


def subscription_request(*, channel: str, address: str, ip: str | None, **fields) -> Subscription:
    """A person asks for warnings: an unconfirmed subscription, and a confirmation sent to the address
    (a link by e-mail, a six-digit code by SMS). Rate-limited per requesting address and per IP."""
    if channel not in PUBLIC_CHANNELS:
        raise SubscriptionError("channel: the public page offers e-mail and SMS")
    now = timezone.now()
    if ip and Subscription.objects.filter(requested_ip=ip, created_at__gte=now - timedelta(hours=1)).count() >= MAX_REQUESTS_PER_IP_HOUR:
        raise RateLimited("too many requests from your network in the last hour: try again later")
    normalised = channels.normalise_phone(address) if channel == Channel.SMS else address.strip()
    if normalised and Subscription.objects.filter(
        address=normalised, channel=channel, created_at__gte=now - timedelta(days=1), confirmed=False
    ).count() >= MAX_REQUESTS_PER_ADDRESS_DAY:
        raise RateLimited("this address was asked for too often today: use the message already sent")
    with transaction.atomic():
        subscription = subscription_create(channel=channel, address=address, confirmed=False, **fields)
        token = secrets.token_urlsafe(24)
        code = f"{secrets.randbelow(1_000_000):06d}" if channel == Channel.SMS else ""
        Subscription.objects.filter(pk=subscription.pk).update(
            confirm_token=token,
            confirm_code_sha256=hashlib.sha256(code.encode()).hexdigest() if code else "",
            requested_ip=ip,
        )
        subscription.confirm_token = token
    link = f"{settings.PUBLIC_URL}/subscriptions/confirm/{token}/"
    language = subscription.subscriber.language
    texts = CONFIRM_TEXTS.get(language, CONFIRM_TEXTS["en"])
    message = channels.OutgoingMessage(
        delivery_id=0,
        subject=texts["subject"] if channel == Channel.EMAIL else texts["sms"].format(code=code),
        text=texts["email"].format(link=link),
        cap_xml=b"",
        cap_identifier="",
        unsubscribe_url=f"{settings.PUBLIC_URL}/subscriptions/unsubscribe/{subscription.subscriber.unsubscribe_token}/",
    )
    try:
        if channel == Channel.EMAIL:
            channels.send_email(subscription.address, message, attach_cap=False)
        else:
            channels.send_sms(subscription.address, message, with_receipt=False)
    except channels.SendError as error:
        raise SubscriptionError(f"the confirmation could not be sent: {error}") from error
    return subscription


CONFIRM_TEXTS = {
    "en": {
        "subject": "Confirm your Hushdor warnings",
        "email": "You (or someone) asked for warnings from Hushdor at this address.\n"
        "To receive them, open this link and confirm:\n{link}\n\nIf it was not you, do nothing.",
        "sms": "Hushdor: your code is {code}",
    },
    "ru": {
        "subject": "Подтвердите подписку на предупреждения Hushdor",
        "email": "Вы (или кто-то другой) подписали этот адрес на предупреждения Hushdor.\n"
        "Чтобы получать их, откройте ссылку и подтвердите:\n{link}\n\nЕсли это были не вы, ничего не делайте.",
        "sms": "Hushdor: ваш код {code}",
    },
    "tg": {
        "subject": "Обунаи огоҳиномаҳои Hushdor-ро тасдиқ кунед",
        "email": "Шумо (ё каси дигар) ин нишонаро ба огоҳиномаҳои Hushdor обуна кардед.\n"
        "Барои гирифтани онҳо истинодро кушоед ва тасдиқ кунед:\n{link}\n\nАгар ин шумо набудед, ҳеҷ кор накунед.",
        "sms": "Hushdor: рамзи шумо {code}",
    },
}


def subscription_confirm(*, token: str, code: str = "") -> Subscription:
    """Confirm with the link's token (e-mail) or the token and the SMS code; five wrong codes and the
    request is void."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(confirm_token=token).first() if token else None
        if subscription is None:
            raise SubscriptionError("this confirmation link is not valid (or was used already)")
        if subscription.confirm_code_sha256:
            if subscription.confirm_attempts >= MAX_CODE_ATTEMPTS:
                raise SubscriptionError("too many wrong codes: ask again from the subscription page")
            if not hmac.compare_digest(hashlib.sha256(code.strip().encode()).hexdigest(), subscription.confirm_code_sha256):
                Subscription.objects.filter(pk=subscription.pk).update(confirm_attempts=subscription.confirm_attempts + 1)
                raise SubscriptionError("the code is not right")
        Subscription.objects.filter(pk=subscription.pk).update(
            confirmed=True, confirm_token="", confirm_code_sha256="", confirm_attempts=0
        )
        subscription.refresh_from_db()
        return subscription
