"""Nothing of the knowledge base is in Django's admin, on purpose.

Every write goes through ``services``, which keeps each practice's and rule's search text
(``KnowledgeEntry``) in step; a row changed in the admin would drop out of the search.
"""
