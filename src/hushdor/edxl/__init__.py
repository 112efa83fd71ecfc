"""EDXL: the OASIS Distribution Element envelope (DE 1.0) and Resource Messaging (RM 1.0). Pure.

envelope.py  write, parse (hardened) and schema-validate EDXL-DE 1.0 envelopes
rm.py        EDXL-RM 1.0 messages (RequestResource, ResponseToRequestResource, RequisitionResource,
             CommitResource, ReleaseResource) for requests for international assistance and offers
"""
