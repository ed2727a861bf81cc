"""The billing run from the TUI: it runs in the background with progress, is cancelled
between batches leaving what it committed consistent, shows its log, and a held lock is a
message."""

from __future__ import annotations

import datetime as dt
import email

from tests.output.test_mail import make_server  # noqa: F401 - fixture
from tests.tui.helpers import confirmed, make_app, make_bulk, screen_text, wait_for


async def _open_runs(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: getattr(app.screen, "loading_done", False))
    await pilot.press("7")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "BillingRunsScreen")


def _state(target: str):
    from tui_billing.store.database import open_database
    from tui_billing.store.models import BillingRun, Installment, Invoice

    open_database(target)
    runs = list(BillingRun.select().order_by(BillingRun.id))
    invoiced = Installment.select().where(Installment.status == "invoiced").count()
    linked = Installment.select().where(Installment.invoice.is_null(False)).count()
    return runs, Invoice.select().count(), invoiced, linked


async def test_run_from_the_tui_bills_and_shows_its_log(db_target, tmp_path) -> None:
    target = make_bulk(db_target, tmp_path, contracts=12)
    app = make_app(target, today=dt.date(2024, 2, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_runs(pilot)
        assert "no billing run yet" in screen_text(app)
        await pilot.press("r")
        question = await confirmed(pilot)
        # what it will issue, worked out by a dry run of the same run: how many, their
        # dates, the number range of each series
        assert question == (
            "Start the billing run dated 15/02/2024: issue 24 invoices dated 01/01/2024 to "
            "01/02/2024, numbers A/2024/0001-0018, B/2024/0001-0006, and e-mail their "
            "courtesy copies?"
        )
        await wait_for(pilot, lambda: "done:" in screen_text(app), timeout=60)
        shown = screen_text(app)
        assert "Log of run 1" in shown
        assert "done: " in shown and "invoices" in shown
        runs, invoices, invoiced, linked = _state(target)
        assert [r.status for r in runs] == ["done"] and runs[0].origin == "tui"
        assert runs[0].invoices_created == invoices == 24  # as the question said
        assert invoiced == linked == 24  # January and February of 12 contracts
        # the run's invoices leave the due screen when it is shown again
        await pilot.press("1")
        await wait_for(pilot, lambda: app.screen.loading_done and len(app.screen.table.model) == 0)


async def test_a_bad_run_date_is_refused_inline(sqlite_target, tmp_path) -> None:
    target = make_bulk(sqlite_target, tmp_path, contracts=2)
    app = make_app(target, today=dt.date(2024, 2, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_runs(pilot)
        field = app.screen.query_one("#run-date")
        field.value = "2024-02-30"
        await pilot.press("r")
        await pilot.pause()
        assert field.has_class("-refused")
        assert any("run date" in n.message for n in app._notifications)
    runs, invoices, _, _ = _state(target)
    assert runs == [] and invoices == 0


async def test_cancel_keeps_what_was_committed_consistent(sqlite_target, tmp_path) -> None:
    from tui_billing.billing import run as run_module

    target = make_bulk(sqlite_target, tmp_path, contracts=60)
    app = make_app(target, today=dt.date(2024, 3, 15))
    original = run_module.BATCH
    run_module.BATCH = 10  # six batches, so there is a between to stop in
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_runs(pilot)
            screen = app.screen
            seen: list[str] = []
            original_progress = type(screen).on_run_progress

            def progress_then_cancel(self, message):
                original_progress(self, message)
                seen.append(message.stage)
                if message.stage == "invoice" and message.done >= 10:
                    self.action_cancel()

            type(screen).on_run_progress = progress_then_cancel
            try:
                await pilot.press("r")
                await confirmed(pilot)
                await wait_for(
                    pilot,
                    lambda: "cancelled:" in screen_text(app) or "done:" in screen_text(app),
                    timeout=60,
                )
            finally:
                type(screen).on_run_progress = original_progress
            assert "cancelled:" in screen_text(app)
            assert any(  # the key was acknowledged at once
                "Cancelling after the current batch of invoices" in n.message
                for n in app._notifications
            )
    finally:
        run_module.BATCH = original
    runs, invoices, invoiced, linked = _state(target)
    assert runs[-1].status == "cancelled"
    assert 0 < runs[-1].invoices_created < 60 * 3
    assert invoiced == linked == runs[-1].installments_billed
    assert invoiced % 3 == 0  # whole contracts (3 months each), never half a batch
    # the next run bills the rest, nothing twice
    from tui_billing.billing.run import RunOptions, run_billing
    from tui_billing.config import Config
    from tui_billing.store.database import open_database

    report = run_billing(open_database(target), RunOptions(on=dt.date(2024, 3, 15)), Config())
    runs, invoices, invoiced, linked = _state(target)
    assert invoiced == linked == 180
    assert report.installments_billed == 180 - runs[-2].installments_billed


async def test_a_held_lock_is_a_message(sqlite_target, tmp_path) -> None:
    from tui_billing.store.locking import billing_run_lock

    target = make_bulk(sqlite_target, tmp_path, contracts=2)
    app = make_app(target, today=dt.date(2024, 2, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_runs(pilot)
        with billing_run_lock(app.db):
            await pilot.press("r")
            await confirmed(pilot)
            await wait_for(
                pilot,
                lambda: any(
                    "another billing run holds the lock" in n.message for n in app._notifications
                ),
            )
        assert "failed" in screen_text(app)
        assert app.is_running
    runs, invoices, _, _ = _state(target)
    assert runs == [] and invoices == 0


async def test_a_run_from_the_tui_sends_its_courtesy_copies(
    db_target,
    tmp_path,
    make_server,  # noqa: F811
) -> None:
    """32 copies, so worker processes render them: started from inside the running app,
    they once failed with "bad value(s) in fds_to_keep" (Textual's stderr has no file
    descriptor). Every copy reaches the server once and the run is recorded as done."""
    server = make_server()
    config = tmp_path / "config.toml"
    config.write_text(
        '[company]\nname = "Manutenzioni Adriatiche S.r.l."\n'
        'email = "fatture@manutenzioni.example"\n'
        '[billing]\nworkers = 2\nstatus = "issued"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
    )
    target = make_bulk(
        db_target,
        tmp_path,
        contracts=32,
        customers=32,
        collective_every=0,
        email="c{i}@example.com",
    )
    app = make_app(target, today=dt.date(2024, 1, 31), config_path=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_runs(pilot)
        await pilot.press("r")
        await confirmed(pilot)
        assert app.screen.running
        await wait_for(pilot, lambda: not app.screen.running, timeout=120)
        assert "done: 32 invoices" in screen_text(app), screen_text(app)
        assert "32 e-mailed" in screen_text(app)
    runs, invoices, _, _ = _state(target)
    assert [r.status for r in runs] == ["done"] and runs[0].emailed == 32 == invoices
    received = [email.message_from_bytes(e.content) for e in server.handler.envelopes]
    assert len(received) == 32
    assert len({m["Message-ID"] for m in received}) == 32
    assert sorted(e.rcpt_tos[0] for e in server.handler.envelopes) == sorted(
        f"c{i}@example.com" for i in range(32)
    )
    from tui_billing.store.models import Outbox

    assert {(o.status, o.attempts) for o in Outbox.select()} == {("sent", 1)}


async def test_the_run_question_in_italian_names_the_numbers(italian, sqlite_target, tmp_path):
    """In Italian the question names the same invoices and numbers, in the glossary's words;
    Esc leaves the database as it was."""
    target = make_bulk(sqlite_target, tmp_path, contracts=12)
    app = make_app(target, today=dt.date(2024, 2, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_runs(pilot)
        assert "Log: ancora nessuna elaborazione" in screen_text(app)
        await pilot.press("r")
        question = await confirmed(pilot, answer="escape")
        assert question == (
            "Avviare l’elaborazione del 15/02/2024: emettere 24 fatture con data dal "
            "01/01/2024 al 01/02/2024, numeri A/2024/0001-0018, B/2024/0001-0006, e inviarne "
            "le copie di cortesia?"
        )
        await wait_for(pilot, lambda: "inattiva" in screen_text(app))
    runs, invoices, invoiced, _linked = _state(target)
    assert (runs, invoices, invoiced) == ([], 0, 0)
