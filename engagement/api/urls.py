from django.urls import URLPattern, URLResolver, path

from engagement.api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("volunteers/me/calendar/reset/", views.CalendarResetView.as_view(), name="calendar-reset"),
    path("volunteers/me/hours/", views.MyHoursView.as_view(), name="my-hours"),
    path("volunteers/me/hours/totals/", views.MyHoursTotalsView.as_view(), name="my-hours-totals"),
    path(
        "volunteers/me/matches/<int:pk>/hours/",
        views.MyMatchHoursView.as_view(),
        name="my-match-hours",
    ),
    path(
        "volunteers/me/matches/<int:pk>/rating/",
        views.MyMatchRatingView.as_view(),
        name="my-match-rating",
    ),
    path("matches/<int:pk>/rating/", views.MatchRatingView.as_view(), name="match-rating"),
    path("hours/", views.HoursListView.as_view(), name="hours-list"),
    path("hours/totals/", views.HoursTotalsView.as_view(), name="hours-totals"),
    path("hours/totals.csv", views.HoursTotalsCsvView.as_view(), name="hours-totals-csv"),
    path("hours/<int:pk>/verify/", views.HoursVerifyView.as_view(), name="hours-verify"),
]
