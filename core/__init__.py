"""Shared by the intake and bot processes: services, archive, the findings vocabulary, dossier, register,
officer actions, evidence, and the write half of the outbox. Imports precheck, models and config; never
intake or bot."""
