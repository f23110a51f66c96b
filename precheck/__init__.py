"""Reading and judging a filing: MIME parse, mail text, attribution, document kinds, the sandbox,
the analysis of attachments (files/) and the checks (checks/). Pure: no ORM, no database."""
