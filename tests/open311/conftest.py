import pytest

from feedback.services.open311 import keys


API_CLIENT = "Cổng dịch vụ công tỉnh"


@pytest.fixture
def api_key(db) -> str:
    _, key = keys.create(API_CLIENT)
    return key


def filed(client, key: str, fmt: str = "json", **fields):
    """POST a request as a client would (form-encoded)."""
    data = {"api_key": key, "service_code": "ho-tich", "address_string": "Số 12 Lê Lợi, Phường 7",
            "first_name": "Lan", "last_name": "Nguyễn Thị", "phone": "0912 345 678",
            "email": "lan@example.vn",
            "description": "Hồ sơ đăng ký khai sinh nộp ngày 02/11 đã quá hẹn hai tuần chưa có kết quả."}
    data.update(fields)
    return client.post(f"/open311/v2/requests.{fmt}", data={k: v for k, v in data.items() if v is not None})
