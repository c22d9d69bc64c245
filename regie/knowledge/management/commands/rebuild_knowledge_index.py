from django.core.management.base import BaseCommand

from regie.knowledge.services import knowledge_reindex


class Command(BaseCommand):
    help = "Rebuild the knowledge base's search index (after restoring a backup)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{knowledge_reindex()} practices and rules indexed")
