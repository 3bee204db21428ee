"""kazoo (python3-kazoo 2.8) smoke/compatibility script for ZooLab.

Run: /usr/bin/python3 kazoo_smoke.py 127.0.0.1:2181 <unique-tag>

Connects with the real kazoo client and exercises CRUD, create2/getChildren2, watches
(one-shot, DataWatch/ChildrenWatch recipes), transactions (commit and rollback),
digest ACLs and auth, sync, 4lw through kazoo's `command`, ephemeral cleanup when a
session closes, and the errors kazoo maps from server codes. Prints one "ok <check>"
line per passed check and exits non-zero at the first failure. The node test
test/compat/kazoo.test.ts runs it against Apache ZooKeeper 3.8 and against our member.
"""
import sys
import threading

from kazoo.client import KazooClient
from kazoo.exceptions import (
    AuthFailedError,
    BadArgumentsError,
    BadVersionError,
    NoAuthError,
    NoChildrenForEphemeralsError,
    NodeExistsError,
    NoNodeError,
    NotEmptyError,
    RolledBackError,
)
from kazoo.protocol.states import EventType, KazooState
from kazoo.security import OPEN_ACL_UNSAFE, make_digest_acl

HOSTS = sys.argv[1]
ROOT = "/kazoo-" + sys.argv[2]
WAIT_S = 10


def check(name, cond, detail=""):
    if not cond:
        raise AssertionError("%s %s" % (name, detail))
    print("ok", name, flush=True)


def raises(name, exc_type, fn):
    try:
        fn()
    except exc_type:
        check(name, True)
        return
    except Exception as e:  # noqa: BLE001 - report what was raised instead
        check(name, False, "raised %r instead of %s" % (e, exc_type.__name__))
    check(name, False, "did not raise %s" % exc_type.__name__)


def client():
    c = KazooClient(hosts=HOSTS, timeout=10)
    c.start(timeout=WAIT_S)
    return c


class Events:
    """Collects watch events; wait() blocks (bounded) for the next one."""

    def __init__(self):
        self.items = []
        self.cond = threading.Condition()

    def __call__(self, event):
        with self.cond:
            self.items.append(event)
            self.cond.notify_all()

    def wait(self, n=1):
        with self.cond:
            self.cond.wait_for(lambda: len(self.items) >= n, timeout=WAIT_S)
            return list(self.items)


def crud(zk):
    zk.create(ROOT)
    check("create returns the path", zk.create(ROOT + "/n", b"v1") == ROOT + "/n")
    data, stat = zk.get(ROOT + "/n")
    check("get returns data and stat", data == b"v1" and stat.version == 0 and stat.dataLength == 2)
    stat = zk.set(ROOT + "/n", b"v2", version=0)
    check("set bumps the version", stat.version == 1 and stat.mzxid > stat.czxid)
    raises("set with a stale version -> BadVersionError", BadVersionError, lambda: zk.set(ROOT + "/n", b"x", version=0))
    raises("create existing -> NodeExistsError", NodeExistsError, lambda: zk.create(ROOT + "/n"))
    raises("create under missing parent -> NoNodeError", NoNodeError, lambda: zk.create(ROOT + "/missing/x"))
    raises("get missing -> NoNodeError", NoNodeError, lambda: zk.get(ROOT + "/missing"))
    check("exists of missing is None", zk.exists(ROOT + "/missing") is None)
    path, stat = zk.create(ROOT + "/c2", b"abc", include_data=True)
    check("create2 returns path and stat", path == ROOT + "/c2" and stat.dataLength == 3 and stat.czxid == stat.pzxid)
    s1 = zk.create(ROOT + "/seq-", sequence=True)
    s2 = zk.create(ROOT + "/seq-", sequence=True)
    check("sequential names count creates under the parent", (s1, s2) == (ROOT + "/seq-0000000002", ROOT + "/seq-0000000003"), repr((s1, s2)))
    check("makepath creates parents", zk.create(ROOT + "/deep/er/node", makepath=True) == ROOT + "/deep/er/node")
    zk.ensure_path(ROOT + "/deep/er/node")
    check("ensure_path of an existing path is fine", zk.exists(ROOT + "/deep/er/node") is not None)
    children, stat = zk.get_children(ROOT, include_data=True)
    check("getChildren2 returns children and the parent's stat", sorted(children) == ["c2", "deep", "n", "seq-0000000002", "seq-0000000003"] and stat.numChildren == 5)
    raises("delete non-empty -> NotEmptyError", NotEmptyError, lambda: zk.delete(ROOT + "/deep"))
    raises("delete with a bad version -> BadVersionError", BadVersionError, lambda: zk.delete(ROOT + "/n", version=7))
    zk.delete(ROOT + "/deep", recursive=True)
    check("recursive delete", zk.exists(ROOT + "/deep") is None)
    eph = zk.create(ROOT + "/eph", ephemeral=True)
    check("ephemeral owner is the session", zk.exists(eph).ephemeralOwner == zk.client_id[0])
    raises("child of an ephemeral -> NoChildrenForEphemeralsError", NoChildrenForEphemeralsError, lambda: zk.create(eph + "/x"))
    raises("delete /zookeeper -> BadArgumentsError", BadArgumentsError, lambda: zk.delete("/zookeeper"))
    check("sync echoes the path", zk.sync(ROOT) == ROOT)


def watches(zk, other):
    ev = Events()
    zk.get(ROOT + "/n", watch=ev)
    other.set(ROOT + "/n", b"changed")
    got = ev.wait()
    check("data watch fires CHANGED", [(e.type, e.path) for e in got] == [(EventType.CHANGED, ROOT + "/n")], repr(got))
    ev = Events()
    check("exists watch on a missing node", zk.exists(ROOT + "/w", watch=ev) is None)
    other.create(ROOT + "/w")
    check("exists watch fires CREATED", [(e.type, e.path) for e in ev.wait()] == [(EventType.CREATED, ROOT + "/w")])
    ev = Events()
    zk.get_children(ROOT, watch=ev)
    other.delete(ROOT + "/w")
    check("child watch fires CHILD", [(e.type, e.path) for e in ev.wait()] == [(EventType.CHILD, ROOT)])
    seen = Events()
    zk.DataWatch(ROOT + "/n", lambda data, stat: seen((data, stat.version if stat else None)))
    other.set(ROOT + "/n", b"again")
    got = seen.wait(2)
    check("DataWatch recipe sees the initial value and the change", [g[0] for g in got[:2]] == [b"changed", b"again"], repr(got))
    kids = Events()
    zk.ChildrenWatch(ROOT, lambda children: kids(sorted(children)))
    other.create(ROOT + "/kid")
    got = kids.wait(2)
    check("ChildrenWatch recipe sees the new child", "kid" in got[-1], repr(got))


def transactions(zk):
    t = zk.transaction()
    t.create(ROOT + "/t", b"a")
    t.check(ROOT + "/n", zk.exists(ROOT + "/n").version)
    t.set_data(ROOT + "/t", b"b")
    t.delete(ROOT + "/c2")
    results = t.commit()
    check("transaction commits every op", results[0] == ROOT + "/t" and results[1] is True and results[2].version == 1 and results[3] is True, repr(results))
    t = zk.transaction()
    t.create(ROOT + "/never")
    t.check(ROOT + "/t", 99)
    t.delete(ROOT + "/n")
    results = t.commit()
    kinds = [type(r).__name__ for r in results]
    check("a failed transaction reports rollback, the failure, then runtime inconsistency", isinstance(results[0], RolledBackError) and isinstance(results[1], BadVersionError) and kinds[2] == "RuntimeInconsistency", repr(kinds))
    check("nothing of a failed transaction is applied", zk.exists(ROOT + "/never") is None and zk.exists(ROOT + "/n") is not None)


def acls(zk, other):
    zk.add_auth("digest", "alice:secret")
    acl = make_digest_acl("alice", "secret", all=True)
    zk.create(ROOT + "/secret", b"s", acl=[acl])
    got, stat = zk.get_acls(ROOT + "/secret")
    check("get_acls returns the digest ACL", [(a.perms, a.id.scheme, a.id.id) for a in got] == [(31, "digest", acl.id.id)] and stat.aversion == 0)
    raises("no auth -> NoAuthError", NoAuthError, lambda: other.get(ROOT + "/secret"))
    stat = zk.set_acls(ROOT + "/secret", OPEN_ACL_UNSAFE)
    check("set_acls bumps aversion", stat.aversion == 1)
    check("now readable", other.get(ROOT + "/secret")[0] == b"s")


def ephemeral_cleanup(zk):
    c = client()
    c.create(ROOT + "/gone", ephemeral=True)
    ev = Events()
    zk.exists(ROOT + "/gone", watch=ev)
    c.stop()
    c.close()
    check("closing a session deletes its ephemerals (DELETED fires)", [(e.type, e.path) for e in ev.wait()] == [(EventType.DELETED, ROOT + "/gone")])
    check("the ephemeral is gone", zk.exists(ROOT + "/gone") is None)


def misc(zk):
    check("four-letter word through kazoo", "Mode: standalone" in zk.command(b"srvr"))
    check("server_version", len(zk.server_version()) >= 3)
    # No reconfig here: kazoo 2.8 does not know ReconfigDisabled (-123) and its connection
    # thread dies on it, against Apache ZooKeeper too. zkCli.sh covers reconfig.
    c = client()
    raises("unknown auth scheme -> AuthFailedError", AuthFailedError, lambda: c.add_auth("nosuchscheme", "x"))
    c.stop()
    c.close()


def main():
    zk = client()
    check("connected", zk.connected and zk.state == KazooState.CONNECTED and zk.client_id[0] != 0)
    other = client()
    try:
        crud(zk)
        watches(zk, other)
        transactions(zk)
        acls(zk, other)
        ephemeral_cleanup(zk)
        misc(zk)
    finally:
        other.stop()
        zk.stop()
        zk.close()
        other.close()
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main()
