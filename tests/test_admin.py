"""The admin password and the sign-in throttle: wrong passwords lock a session and an address out for a
growing time; the clock is injected, so every wait is exact."""
import threading

from analytics.admin import LoginThrottle, attempt_login

RIGHT = "s3cret-测试"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def throttle(clock) -> LoginThrottle:
    return LoginThrottle(free_failures=3, window_s=600, first_lockout_s=10, max_lockout_s=80, clock=clock)


def test_wrong_passwords_lock_out_with_a_growing_wait_and_even_the_right_one_waits():
    clock = Clock()
    gate = throttle(clock)
    keys = ["session:a", "address:10.0.0.1"]
    assert [attempt_login("guess", RIGHT, keys, gate).code for _ in range(2)] == ["wrong", "wrong"]
    third = attempt_login("guess", RIGHT, keys, gate)
    assert third.code == "wrong" and third.wait_s == 10
    locked = attempt_login(RIGHT, RIGHT, keys, gate)
    assert locked.code == "locked" and locked.wait_s == 10
    clock.now += 10
    assert attempt_login("guess", RIGHT, keys, gate).wait_s == 20          # doubled
    clock.now += 20
    assert attempt_login("guess", RIGHT, keys, gate).wait_s == 40
    clock.now += 40
    assert attempt_login("guess", RIGHT, keys, gate).wait_s == 80
    clock.now += 80
    assert attempt_login("guess", RIGHT, keys, gate).wait_s == 80          # capped
    clock.now += 80
    assert attempt_login(RIGHT, RIGHT, keys, gate).code == "ok"
    assert attempt_login("guess", RIGHT, keys, gate).wait_s == 0           # a success clears the count


def test_a_new_session_from_the_same_address_is_still_locked():
    clock = Clock()
    gate = throttle(clock)
    for session in "abc":
        attempt_login("guess", RIGHT, [f"session:{session}", "address:10.0.0.1"], gate)
    fresh = attempt_login(RIGHT, RIGHT, ["session:d", "address:10.0.0.1"], gate)
    assert fresh.code == "locked"
    other = attempt_login(RIGHT, RIGHT, ["session:e", "address:10.0.0.2"], gate)
    assert other.code == "ok"


def test_failures_older_than_the_window_are_forgotten():
    clock = Clock()
    gate = throttle(clock)
    for _ in range(3):
        attempt_login("guess", RIGHT, ["session:a"], gate)
    clock.now += 601
    assert attempt_login("guess", RIGHT, ["session:a"], gate).wait_s == 0


def test_thirty_concurrent_guesses_are_all_counted():
    gate = LoginThrottle(free_failures=100, clock=Clock())
    threads = [threading.Thread(target=attempt_login, args=("guess", RIGHT, ["address:x"], gate)) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(gate._failures["address:x"]) == 30


def test_nothing_matches_without_a_configured_password():
    assert attempt_login("", None, ["session:a"], LoginThrottle()).code == "wrong"
