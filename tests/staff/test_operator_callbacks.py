"""The operator console's call-backs and recordings: the list of calls to
return, and each voicemail streamed from Twilio without its credentials."""
from datetime import timedelta

from feedback.models.types import utcnow
from tests.fakes import twilio_server
from tests.staff import OTHER_CALLER, make_call, make_callback, make_recording, signed_in_operator


def test_callbacks_are_listed_oldest_first_and_marked_done(client, db):
    operator = signed_in_operator(client)
    older = make_callback(make_call(status="no-answer", started_at=utcnow() - timedelta(hours=2)))
    newer = make_callback(make_call(status="canceled", from_number=OTHER_CALLER), "abandoned")
    page = client.get("/staff/operator/callbacks").get_data(as_text=True)
    assert page.index("0912 345 678") < page.index("0987 654 321")
    assert "Gọi nhỡ" in page and "Gác máy khi chờ" in page
    assert f'action="/staff/operator/callbacks/{older.id}/done"' in page
    response = client.post(f"/staff/operator/callbacks/{older.id}/done",
                           data={"note": "Đã gọi lại, hướng dẫn nộp hồ sơ trực tuyến."})
    assert response.status_code == 302
    db.session.refresh(older)
    assert older.done_at is not None and older.done_by_id == operator.id
    assert older.note == "Đã gọi lại, hướng dẫn nộp hồ sơ trực tuyến."
    page = client.get("/staff/operator/callbacks").get_data(as_text=True)
    assert "Đã ghi nhận: đã gọi lại số 0912 345 678." in page
    assert f"/callbacks/{older.id}/done" not in page and f"/callbacks/{newer.id}/done" in page
    done = client.get("/staff/operator/callbacks?done=1").get_data(as_text=True)
    assert "hướng dẫn nộp hồ sơ trực tuyến" in done and "Trần Thị Tổng Đài" in done
    again = client.post(f"/staff/operator/callbacks/{older.id}/done", follow_redirects=True)
    assert "đã được tổng đài viên khác gọi lại" in again.get_data(as_text=True)
    assert client.post("/staff/operator/callbacks/99999/done").status_code == 404


def test_a_too_long_call_back_note_is_refused_and_kept(client, db):
    signed_in_operator(client)
    item = make_callback(make_call(status="no-answer"))
    response = client.post(f"/staff/operator/callbacks/{item.id}/done", data={"note": "x" * 2001})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="note-{item.id}-error"' in page and "x" * 2001 in page
    db.session.refresh(item)
    assert item.done_at is None


def test_a_recording_is_streamed_from_twilio_with_the_credentials_kept_server_side(
        client, db, fake_twilio):
    signed_in_operator(client)
    audio = b"ID3\x04\x00" + bytes(range(256)) * 8
    path = f"/2010-04-01/Accounts/{twilio_server.ACCOUNT_SID}/Recordings/RE0123"
    url = fake_twilio.add_file(path + ".mp3", "audio/mpeg", audio)
    call = make_call(status="completed")
    recording = make_recording(call, url.removesuffix(".mp3"))
    make_callback(call, "voicemail", recording)
    response = client.get(f"/staff/operator/recordings/{recording.id}")
    assert response.status_code == 200 and response.data == audio
    assert response.mimetype == "audio/mpeg"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert fake_twilio.requests == [("GET", path + ".mp3")]  # served only with basic auth
    partial = client.get(f"/staff/operator/recordings/{recording.id}", headers={"Range": "bytes=0-9"})
    assert partial.status_code == 206 and partial.data == audio[:10]
    src = f'<audio controls preload="none" src="/staff/operator/recordings/{recording.id}"'
    for page_url in ("/staff/operator", "/staff/operator/callbacks", f"/staff/operator/log?call={call.id}"):
        page = client.get(page_url).get_data(as_text=True)
        assert src in page, page_url
        for secret in (twilio_server.ACCOUNT_SID, twilio_server.AUTH_TOKEN, fake_twilio.base_url, "RE0123"):
            assert secret not in page, (page_url, secret)


def test_a_recording_twilio_cannot_deliver_is_a_502_page(client, fake_twilio):
    signed_in_operator(client)
    call = make_call(status="completed")
    missing = make_recording(call, fake_twilio.base_url + "/2010-04-01/Accounts/AC1/Recordings/REgone")
    elsewhere = make_recording(call, "https://evil.example/Recordings/RE1")
    for recording in (missing, elsewhere):
        response = client.get(f"/staff/operator/recordings/{recording.id}")
        assert response.status_code == 502
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Không tải được bản ghi âm" in response.get_data(as_text=True)
    assert fake_twilio.requests == [("GET", "/2010-04-01/Accounts/AC1/Recordings/REgone.mp3")]
    assert client.get("/staff/operator/recordings/99999").status_code == 404


def test_a_recording_twilio_never_completed_gets_no_player(client, db, fake_twilio):
    signed_in_operator(client)
    recording = make_recording(make_call(status="completed"), fake_twilio.base_url + "/x/REabsent")
    recording.status = "absent"
    db.session.commit()
    page = client.get("/staff/operator").get_data(as_text=True)
    assert "Bản ghi âm chưa có hoặc không dùng được." in page
    assert f"/staff/operator/recordings/{recording.id}" not in page
