"""Keeping a solved coverage forecast (`ForecastResult`): what the forecast page writes when it
had to solve the term, so that the next reader of the same inputs does not.

Not audited: a kept forecast is a cache of what the page shows, derived from audited rows, and
decides nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from xunshi.registry.models import Term

from .forecast import Forecast, forecast_to_json
from .models import ForecastResult

__all__ = ["KEPT_PER_TERM", "forecast_keep"]

# The newest kept forecasts of a term (other parameters, earlier days, other languages).
KEPT_PER_TERM = 20


def forecast_keep(*, term: Term, key: str, forecast: Forecast) -> dt.datetime:
    """Keep the forecast solved for `key` (`forecast_key`) and prune the term's older ones; when
    it was solved. Two readers solving the same key at once keep the first one's."""
    now = timezone.now()
    try:
        with transaction.atomic():
            ForecastResult.objects.create(
                term=term, key=key, computed_at=now, result=forecast_to_json(forecast)
            )
    except IntegrityError:
        return now
    old = ForecastResult.objects.filter(term=term).order_by("-computed_at", "-pk")[KEPT_PER_TERM:]
    ForecastResult.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return now
