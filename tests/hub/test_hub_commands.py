"""The command tracker's audit: each command's story reaches the log as an `AuditRow`."""

import itertools

from hub.core.events import CommandAnswered, CommandIssued
from hub.features.commands import CommandTracker
from hub.features.log_writer import StoreFeed
from hub.store.database import Store, db_path
from hub.store.schema import AuditRow
from hub.store.writer import StoreWriter
from protocol import Command, CommandResult


def test_answered_and_abandoned_commands_reach_the_log_as_audit_rows(tmp_path):
    store = Store.open(db_path(tmp_path))
    writer = StoreWriter(store).start()
    clock = itertools.count(100.0)
    tracker = CommandTracker(StoreFeed(writer).audit, lambda: next(clock))
    on = Command(on=True)
    tracker.handle(CommandIssued("kettle", on, "web"))
    tracker.handle(CommandAnswered("kettle", CommandResult.failure("busy", on.to_payload())))
    token, reply = tracker.new_request()
    tracker.handle(CommandIssued("ev", Command(on=False), "shedding", token))
    tracker.abandon(token, "ev", "no reply within 5 s")
    writer.stop()
    sent_on, sent_off = on.to_payload().decode(), Command(on=False).to_payload().decode()
    assert store.audit() == [
        AuditRow(103.0, "shedding", "ev", sent_off, False, "no reply within 5 s"),
        AuditRow(101.0, "web", "kettle", sent_on, False, "busy"),
    ]
    assert not reply.done()
