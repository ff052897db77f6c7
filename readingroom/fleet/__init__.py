"""The central audit trail on PostgreSQL: schema, shipping, central verify, reports, revocations.

The only place psycopg is imported (it is the optional ``fleet`` extra). See
docs/deployment.md "Many workstations" and docs/audit-log.md.
"""
