from django.urls import path

from hushdor.apps.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.board, name="board"),
    path("inbox", views.inbox, name="inbox"),
    path("new", views.rfa_new, name="rfa-new"),
    path("<int:rfa_id>/", views.rfa_board, name="rfa"),
    path("<int:rfa_id>/approve", views.rfa_approve_view, name="rfa-approve"),
    path("<int:rfa_id>/circulate", views.rfa_circulate_view, name="rfa-circulate"),
    path("offers/<int:offer_id>/decide", views.offer_decide_view, name="offer-decide"),
    path("offers/<int:offer_id>/track", views.offer_track_view, name="offer-track"),
    path("needs/<int:need_id>/offer", views.offer_make_view, name="offer-make"),
    path("needs/<int:need_id>/offer-unit", views.unit_offer_view, name="unit-offer"),
    path("needs/<int:need_id>/edit", views.need_edit_view, name="need-edit"),
    path("received/<int:envelope_id>/decide", views.envelope_decide, name="envelope-decide"),
    path("received/<int:envelope_id>.xml", views.envelope_raw, name="envelope-raw"),
    path("outbox/<int:row_id>/resend", views.outbox_resend, name="outbox-resend"),
]
