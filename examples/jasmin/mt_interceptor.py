"""Jasmin MT interceptor that asks msgfilter whether a submit_sm may go out.

Install it with jcli (Jasmin >= 0.9 runs interceptors on Python 3):

    jcli : mtinterceptor -a
    > type DefaultInterceptor
    > script python3(/opt/jasmin-scripts/interception/mt_interceptor.py)
    > ok

and run "msgfilter serve" where interceptord can reach it. Jasmin sets the
globals routable, smpp_status and http_status before running the script; the
script leaves them alone when msgfilter allows the message (or sends it to
review) and otherwise sets both to the statuses msgfilter mapped the decision
to (DESIGN.md, "Protocol mapping"): 0x65/403 for a block, 0x64/429 for a
defer, 0x58/429 for a rate limit, 0x0A/403 for a sender problem. It sets
nothing to 0 itself: in Jasmin that would skip routing.

Settings come from the environment of interceptord:
    MSGFILTER_URL      default http://127.0.0.1:8686
    MSGFILTER_TOKEN    bearer token, when the service has one
    MSGFILTER_KIND     message kind for this route (default transactional)
    MSGFILTER_TIMEOUT  seconds (default 0.5)
    MSGFILTER_FAIL     "closed" (default): hold the message when msgfilter
                       cannot be reached (ESME_RSYSERR / 503); "open": send it
"""

import json
import os
import urllib.error
import urllib.request

ESME_RSYSERR = 0x08
ESME_RX_P_APPN = 0x65


def _text(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v or "")


def message_of(params, tenant=""):
    """The msgfilter message for a submit_sm's parameters."""
    body = params.get("short_message") or b""
    if isinstance(body, bytes):
        if params.get("data_coding") in (8, "UCS2"):
            body = body.decode("utf_16_be", "replace")
        else:
            body = body.decode("utf-8", "replace")
    recipient = _text(params.get("destination_addr"))
    if recipient and not recipient.startswith("+"):
        recipient = "+" + recipient  # SMPP addresses are international numbers without "+"
    sender = _text(params.get("source_addr"))
    msg = {
        "id": str(params.get("id", "")),
        "channel": "sms",
        "kind": os.environ.get("MSGFILTER_KIND", "transactional"),
        "sender": sender,
        "recipient": recipient,
        "body": body,
    }
    if tenant:
        msg["tenant"] = tenant
    return msg


def check(msg):
    """Returns (smpp_status, http_status, answer) for one message; (0, 0, ...)
    means send it."""
    url = os.environ.get("MSGFILTER_URL", "http://127.0.0.1:8686") + "/v1/check"
    req = urllib.request.Request(url, data=json.dumps(msg).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    token = os.environ.get("MSGFILTER_TOKEN")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    timeout = float(os.environ.get("MSGFILTER_TIMEOUT", "0.5"))
    code = 200
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            answer = json.load(resp)
    except urllib.error.HTTPError as e:  # 403, 429, 503: the decision is in the body
        code = e.code
        try:
            answer = json.load(e)
        except ValueError:
            answer = {"error": "HTTP %d" % e.code}
    except (OSError, ValueError) as e:  # unreachable, timeout, not JSON
        return _undecided(str(e))
    d = answer.get("decision")
    if d is None:
        if code == 400:  # msgfilter could not read this message: refuse it
            return ESME_RX_P_APPN, 400, answer
        return _undecided(answer.get("error", "HTTP %d" % code))  # 401, 404, 413...: our setup is wrong
    if d.get("action") in ("allow", "review"):
        return 0, 0, answer
    return d["smpp_status"], d["http_status"], answer


def _undecided(err):
    """No decision: follow MSGFILTER_FAIL."""
    if os.environ.get("MSGFILTER_FAIL", "closed") == "open":
        return 0, 0, {"error": err}
    return ESME_RSYSERR, 503, {"error": err}


if "routable" in globals():
    tenant = ""
    user = getattr(routable, "user", None)  # noqa: F821 (set by Jasmin)
    if user is not None:
        tenant = str(getattr(user, "uid", "") or "")
    _smpp, _http, _answer = check(message_of(routable.pdu.params, tenant))  # noqa: F821
    if _smpp or _http:
        smpp_status, http_status = _smpp, _http
