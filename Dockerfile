# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=backend.settings.production \
    KINDRED_VAR_DIR=/app/var

WORKDIR /app

COPY . .
RUN pip install -c constraints.txt . \
    && useradd --create-home --uid 10001 kindred \
    && DJANGO_SECRET_KEY=collectstatic-only-not-a-secret DJANGO_ALLOWED_HOSTS=localhost \
       python manage.py collectstatic --noinput \
    && chown -R kindred:kindred /app/var

USER kindred
EXPOSE 8000
CMD ["gunicorn", "backend.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
