import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from suivi.env import env_bool, env_int, env_list


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"Models changed without a migration (run `manage.py makemigrations`):\n{out.getvalue()}")


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("SUIVI_FLAG", "Yes")
    assert env_bool("SUIVI_FLAG") is True
    monkeypatch.setenv("SUIVI_FLAG", "0")
    assert env_bool("SUIVI_FLAG", True) is False
    monkeypatch.delenv("SUIVI_FLAG")
    assert env_bool("SUIVI_FLAG", True) is True


def test_env_readers_name_the_variable_they_cannot_read(monkeypatch):
    monkeypatch.setenv("SUIVI_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SUIVI_FLAG='maybe' is not a boolean"):
        env_bool("SUIVI_FLAG")
    monkeypatch.setenv("SUIVI_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SUIVI_NUMBER='ten' is not an integer"):
        env_int("SUIVI_NUMBER", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("SUIVI_HOSTS", "a.example, b.example,")
    assert env_list("SUIVI_HOSTS", []) == ["a.example", "b.example"]


def run_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    environment.update(SUIVI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="suivi.settings", **env)
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME']); print(settings.SECRET_KEY)"
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)


def test_with_no_environment_it_uses_an_embedded_sqlite_file_and_a_persisted_secret(tmp_path):
    first = run_settings(tmp_path)
    assert first.returncode == 0, first.stderr
    name, secret = first.stdout.split()
    assert name == str(tmp_path / "suivi.sqlite3")
    assert (tmp_path / "secret_key").read_text() == secret
    assert run_settings(tmp_path).stdout.split()[1] == secret


def test_a_production_database_without_a_secret_key_fails_loudly(tmp_path):
    result = run_settings(tmp_path, DATABASE_URL="postgres://suivi@db.example/suivi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DATABASE_URL is" in result.stderr


def test_a_malformed_database_url_fails_loudly(tmp_path):
    result = run_settings(tmp_path, DATABASE_URL="nosuchdb://x", SECRET_KEY="s")
    assert result.returncode != 0
    assert "DATABASE_URL cannot be read" in result.stderr


def test_the_secret_can_come_from_a_file(tmp_path):
    (tmp_path / "secret").write_text("un-secret-dans-un-fichier\n")
    result = run_settings(
        tmp_path, DATABASE_URL="postgres://suivi@db.example/suivi", SECRET_KEY_FILE=str(tmp_path / "secret")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "un-secret-dans-un-fichier"
    missing = run_settings(tmp_path, DATABASE_URL="postgres://suivi@db.example/suivi", SECRET_KEY_FILE="/nope")
    assert "SECRET_KEY_FILE cannot be read" in missing.stderr


def test_the_deployment_checklist_is_clean_under_production_settings(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    environment.update(
        SUIVI_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://suivi@db.example/suivi",
        REDIS_URL="redis://cache.example:6379/0",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-of-more-than-fifty-characters",
        ALLOWED_HOSTS="suivi.example.gouv.fr",
        BEHIND_PROXY="true",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/plan-du-site/", "Plan du site"),
        ("/accessibilite/", "Déclaration d’accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/methode/", "Méthode : comment l’avancement est calculé"),
    ],
)
def test_the_mandatory_pages_are_linked_from_every_page_and_answer(client, url, heading):
    home = client.get("/").content.decode()
    assert f'href="{url}"' in home
    assert "Paramètres d’affichage" in home and 'aria-controls="fr-theme-modal"' in home
    response = client.get(url)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()
