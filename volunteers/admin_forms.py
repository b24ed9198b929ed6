"""The admin page where platform staff correct a date of birth: a small form that calls
``volunteers.services.date_of_birth.date_of_birth_correct`` (the admin never writes the row)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import reverse

from backend.errors import ApplicationError

from .models import VolunteerProfile
from .services.date_of_birth import date_of_birth_correct

_PAGE = engines["django"].from_string(
    """{% extends "admin/base_site.html" %}
{% block content %}
<h1>Correct the date of birth of {{ profile }}</h1>
<p>Currently: {{ profile.date_of_birth|default:"not set" }}. The volunteer can read the note.</p>
<form method="post">{% csrf_token %}
{{ form.as_p }}
<input type="submit" value="Correct the date of birth">
</form>
{% endblock %}"""
)


class DateOfBirthCorrectionForm(forms.Form):
    date_of_birth = forms.DateField(help_text="YYYY-MM-DD")
    note = forms.CharField(
        widget=forms.Textarea, max_length=2000, help_text="Why: the document seen, who asked."
    )


def date_of_birth_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    profile = get_object_or_404(VolunteerProfile, pk=object_id)
    form = DateOfBirthCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            date_of_birth_correct(profile=profile, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            for field, problems in exc.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            model_admin.message_user(request, f"Date of birth of {profile} corrected.")
            return HttpResponseRedirect(
                reverse("admin:volunteers_volunteerprofile_change", args=[profile.pk])
            )
    elif request.method == "POST":
        model_admin.message_user(request, "Check the form.", level=messages.WARNING)
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "title": "Correct a date of birth",
        "profile": profile,
        "form": form,
    }
    return HttpResponse(_PAGE.render(context, request))
