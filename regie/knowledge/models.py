"""The knowledge base: practices partners share, imposed rules in practice, and their search text.

The tables kept the names they had in the networks app (``network_practice`` …): the SQLite
full-text index names ``network_knowledgeentry`` as its content table, and a rename would break
it (``knowledge/migrations/0001_initial.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regie.core.fetching import PeersManager
from regie.knowledge.querysets import KnowledgeEntryQuerySet, PracticeQuerySet, RuleQuerySet


class Practice(models.Model):
    """A question put to the network ("Hoe gaan jullie om met …?") and the answers to it."""

    region = models.ForeignKey(
        "registry.Region", on_delete=models.PROTECT, related_name="practices"
    )
    question = models.CharField(_("question"), max_length=300)
    context = models.TextField(_("context"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Comma-separated."))
    meeting = models.ForeignKey(
        "network.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    agenda_item = models.ForeignKey(
        "network.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(PracticeQuerySet)()
    history = HistoricalRecords(table_name="network_historicalpractice")

    class Meta:
        db_table = "network_practice"
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("knowledge:practice_detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class PracticeAnswer(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_answers",
    )
    text = models.TextField(_("answer"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(table_name="network_historicalpracticeanswer")

    class Meta:
        db_table = "network_practiceanswer"
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


class FloorType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop / assembly")
    PRODUCTION = "production", _("Production")
    GREEN = "green", _("Green maintenance")
    CLEANING = "cleaning", _("Cleaning")
    KITCHEN = "kitchen", _("Kitchen and catering")
    SHOP = "shop", _("Shop / second-hand")
    HOME_WORK = "home_work", _("Home work")
    OTHER = "other", _("Other")


class Rule(models.Model):
    """A measure imposed by a government (such as a corona rule) and what it means in practice."""

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="rules")
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source link"), blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    summary = models.TextField(_("summary"))
    meeting = models.ForeignKey(
        "network.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="rules"
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeersManager.from_queryset(RuleQuerySet)()
    history = HistoricalRecords(table_name="network_historicalrule")

    class Meta:
        db_table = "network_rule"
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="rule_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:rule_detail", args=[self.pk])


class RuleTranslation(models.Model):
    """How a rule is applied on one type of work floor."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="translations")
    floor_type = models.CharField(_("type of work floor"), max_length=12, choices=FloorType.choices)
    practice = models.TextField(_("in practice"))

    history = HistoricalRecords(table_name="network_historicalruletranslation")

    class Meta:
        db_table = "network_ruletranslation"
        verbose_name = _("translation into practice")
        verbose_name_plural = _("translations into practice")
        constraints = [
            models.UniqueConstraint(fields=["rule", "floor_type"], name="one_translation_per_floor")
        ]

    def __str__(self) -> str:
        return f"{self.rule} – {self.get_floor_type_display()}"


class KnowledgeKind(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    RULE = "rule", _("Rule")


class KnowledgeEntry(models.Model):
    """The searchable text of one practice or rule, kept by the knowledge services.

    SQLite searches it through an FTS5 table, PostgreSQL through its full-text search; both
    sit behind ``selectors.knowledge_search``.
    """

    region = models.ForeignKey("registry.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=KnowledgeKind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)

    objects = PeersManager.from_queryset(KnowledgeEntryQuerySet)()

    class Meta:
        db_table = "network_knowledgeentry"
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_object")
        ]

    def __str__(self) -> str:
        return self.title
