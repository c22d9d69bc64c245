"""How long client data are kept, per category, and the purge that applies it.

Periods count from the end of the client's last trajectory (for a client who never started
one: the last referral, else the day the file was opened). A client with an open trajectory
is never purged. ``manage.py purge_client_data`` runs ``retention_purge`` (daily, from cron)
and logs how many records it touched — never which or what.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from regie.clients.models import (
    AccessLog,
    Client,
    ClientFollowUp,
    ClientStatus,
    Contact,
    OrganisationLegalBasis,
    Purpose,
    SupportNeed,
    add_months,
)
from regie.clients.rights import anonymise
from regie.core.audit import log_action

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Period:
    category: str
    months: int
    what: str


# Months after the end of the last trajectory; the access log counts from each access.
SUPPORT_NEEDS = Period("support_needs", 12, "support-need categories (special category data)")
CONTACT_NOTES = Period("contact_notes", 12, "notes of outreach contacts and their follow-ups")
NATIONAL_NUMBERS = Period("national_numbers", 12, "national numbers (INSZ)")
CLIENT_FILES = Period("client_files", 60, "the whole file: the client is anonymised")
ACCESS_LOG = Period("access_log", 60, "access-log entries, counted from the access")
PERIODS = (SUPPORT_NEEDS, CONTACT_NOTES, NATIONAL_NUMBERS, CLIENT_FILES, ACCESS_LOG)


def retention_anchor(client: Client) -> datetime.date | None:
    """The day the periods start, or None while a trajectory is open."""
    if getattr(client, "open_trajectories", 0):
        return None
    last_end: datetime.date | None = getattr(client, "last_trajectory_end", None)
    if last_end is not None:
        return last_end
    last_referral: datetime.date | None = getattr(client, "last_referral", None)
    return last_referral or timezone.localtime(client.created_at).date()


@transaction.atomic
def retention_purge(*, today: datetime.date | None = None, dry_run: bool = False) -> Counter[str]:
    """Apply every period; returns the number of records per category (nothing when dry)."""
    today = today or timezone.localdate()
    counts: Counter[str] = Counter()
    clients = (
        Client.objects.exclude(status=ClientStatus.ANONYMISED)
        .annotate(
            open_trajectories=Count(
                "trajectories", filter=Q(trajectories__ended_on__isnull=True), distinct=True
            ),
            last_trajectory_end=Max("trajectories__ended_on"),
            last_referral=Max("referrals__referred_on"),
        )
        .filter(open_trajectories=0)
    )
    due: dict[str, list[int]] = {period.category: [] for period in PERIODS}
    for client in clients:
        anchor = retention_anchor(client)
        if anchor is None:
            continue
        for period in (SUPPORT_NEEDS, CONTACT_NOTES, NATIONAL_NUMBERS, CLIENT_FILES):
            if add_months(anchor, period.months) < today:
                due[period.category].append(client.pk)
    due_files = set(due[CLIENT_FILES.category])

    support_needs = SupportNeed.objects.filter(client_id__in=due[SUPPORT_NEEDS.category])
    notes = Contact.objects.filter(client_id__in=due[CONTACT_NOTES.category]).exclude(note="")
    follow_ups = ClientFollowUp.objects.filter(client_id__in=due[CONTACT_NOTES.category])
    numbers = Client.objects.filter(pk__in=due[NATIONAL_NUMBERS.category]).exclude(insz_hash="")
    without_basis = _numbers_without_basis(today).exclude(pk__in=numbers.values("pk"))
    old_access = AccessLog.objects.filter(at__date__lt=add_months(today, -ACCESS_LOG.months))
    counts[SUPPORT_NEEDS.category] = support_needs.count()
    counts[CONTACT_NOTES.category] = notes.count() + follow_ups.count()
    counts[NATIONAL_NUMBERS.category] = numbers.count()
    counts["national_numbers_without_basis"] = without_basis.count()
    counts[CLIENT_FILES.category] = len(due_files)
    counts[ACCESS_LOG.category] = old_access.count()
    if dry_run:
        logger.info("retention purge (dry run) would touch: %s", _format(counts))
        return counts

    support_ids = list(support_needs.values_list("pk", flat=True))
    support_needs.delete()
    SupportNeed.history.filter(id__in=support_ids).delete()
    note_ids = list(notes.values_list("pk", flat=True))
    notes.update(note="")
    Contact.history.filter(id__in=note_ids).update(note="")
    follow_up_ids = list(follow_ups.values_list("pk", flat=True))
    follow_ups.delete()
    ClientFollowUp.history.filter(id__in=follow_up_ids).delete()
    numbers.update(insz_encrypted=None, insz_hash="", insz_masked="")
    without_basis.update(insz_encrypted=None, insz_hash="", insz_masked="")
    for file in Client.objects.filter(pk__in=due_files):
        anonymise(client=file)
    old_access.delete()
    logger.info("retention purge: %s", _format(counts))
    log_action(actor=None, action="clients.retention_purge", details=dict(counts))
    return counts


def _numbers_without_basis(today: datetime.date) -> QuerySet[Client]:
    """National numbers whose organisation no longer has a legal basis to keep them."""
    covered = OrganisationLegalBasis.objects.filter(purpose=Purpose.NATIONAL_NUMBER).active_on(
        today
    )
    return (
        Client.objects.exclude(insz_hash="")
        .exclude(status=ClientStatus.ANONYMISED)
        .exclude(organisation__in=covered.values("organisation"))
    )


def _format(counts: Counter[str]) -> str:
    return ", ".join(f"{category}={count}" for category, count in sorted(counts.items()))
