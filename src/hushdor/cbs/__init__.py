"""Cell broadcast (3GPP TS 23.041 / 23.038): pages, the GSM 7-bit and UCS-2 codings, CAP → CBS. Pure.

pages.py       the 88-octet page: header (serial number, message identifier, DCS, page parameter),
               GSM 7-bit packing or UCS-2, CR padding, at most 15 pages; and the decoder
identifiers.py the message identifier from CAP status / severity / urgency / certainty and language
from_cap.py    one CBS message per CAP info, with its serial number (message code and update number)
"""
