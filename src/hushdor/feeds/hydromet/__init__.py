"""Hydromet ingest, pure: WIS2 notification messages (``wnm``) and BUFR SYNOP decoding (``bufr``)."""
