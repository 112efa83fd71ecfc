"""Assistance: requests for international assistance (EADRCC), their line items, partners' offers."""
