"""Rules of the paycheck planner (calculators/RULES.md section 2, rules 1 to 7, with a match
formula, and 15, what a paycheck can pay after FICA).

2026 figures: 402(g) 24,500; 415(c) 72,000; 401(a)(17) 360,000; Social Security wage
base 184,500 (SSA). Default formula: 100% of the first 3% of pay and 50% of the next 2%
(at most 4% of pay). Default take-home pay kept: 25% of each paycheck.
"""

from __future__ import annotations

import pytest

from calculators import InputError, run

NAME = "paycheck-planner"
BASE = {"year": 2026, "age": 40, "pay_frequency": "biweekly", "pay_per_period": 8000,
        "periods_paid": 10, "periods_remaining": 16, "ytd_deferrals": 8000, "ytd_after_tax": 0,
        "ytd_match": 3200, "match_rate_1": 100, "match_limit_1": 3, "match_rate_2": 50,
        "match_limit_2": 2, "true_up": False, "after_tax_matched": False}


def planner(**change):
    return run(NAME, BASE | change)


def test_even_elections_fill_402g_and_415c_by_year_end():
    # Deferral: (24,500 - 8,000) / 16 = 1,031.25 (12% of 8,000 rounded down).
    # Match per check: 240 + 50% x 160 = 320; 3,200 + 16 x 320 = 8,320.
    # After-tax: 72,000 - 24,500 - 8,320 = 39,180; / 16 = 2,448.75 (30% rounded down).
    r = planner()
    assert (r["deferral_per_check"], r["deferral_percent"]) == (1031.25, 12)
    assert r["projected_match"] == 8320
    assert (r["after_tax_per_check"], r["after_tax_percent"]) == (2448.75, 30)
    assert r["projected_total"] == 72000
    assert r["match_lost_without_true_up"] == 0


def test_front_loaded_deferrals_lose_match_without_true_up():
    # 24,500 already deferred: nothing left to match on 16 checks. Earned 3,200 so far.
    # A true-up pays the formula on the year: 3% x 208,000 + 50% x 2% x 208,000 = 8,320;
    # lost without it: 8,320 - 3,200 = 5,120.
    r = planner(ytd_deferrals=24500)
    assert r["deferral_per_check"] == 0
    assert r["projected_match"] == 3200
    assert r["match_lost_without_true_up"] == 5120


def test_true_up_restores_the_match_and_shrinks_after_tax_room():
    # With the true-up the match is 8,320, so the after-tax room is
    # 72,000 - 24,500 - 8,320 = 39,180 -> 2,448.75 a check (instead of 44,300 / 16).
    r = planner(ytd_deferrals=24500, true_up=True)
    assert r["projected_match"] == 8320
    assert r["match_lost_without_true_up"] == 0
    assert r["after_tax_per_check"] == 2448.75


def test_match_on_after_tax_money_uses_room_too():
    # Front-loaded deferrals, after-tax matched: any election of 400+ earns 320 a check,
    # so room = 72,000 - 24,500 - (3,200 + 5,120) = 39,180 -> 2,448.75 a check.
    r = planner(ytd_deferrals=24500, after_tax_matched=True)
    assert r["after_tax_per_check"] == 2448.75
    assert r["projected_match"] == 8320
    assert r["projected_total"] == 72000


def test_match_formula_uses_pay_only_up_to_401a17_limit():
    # Pay 20,000 x 26 = 520,000; the formula stops after 360,000 (check 18).
    # Deferral 24,500 / 26 = 942.30 a check. Per check match: 600 + 50% x 342.30 = 771.15;
    # x 18 = 13,880.70. True-up on 360,000: 10,800 + 50% x 7,200 = 14,400; lost 519.30.
    r = planner(pay_per_period=20000, periods_paid=0, periods_remaining=26, ytd_deferrals=0,
                ytd_match=0)
    assert r["deferral_per_check"] == 942.30
    assert r["projected_match"] == 13880.70
    assert r["match_lost_without_true_up"] == 519.30
    assert any("401(a)(17)" in w for w in r["warnings"])


def test_catch_up_raises_the_deferral_target_at_50():
    # age 50: (24,500 + 8,000 - 8,000) / 16 = 1,531.25; the after-tax room is unchanged:
    # 72,000 - 24,500 - 8,320 = 39,180
    r = planner(age=50)
    assert r["deferral_per_check"] == 1531.25
    assert r["projected_after_tax"] == 39180


def test_small_paychecks_cannot_reach_the_limit():
    # Pay 1,000: FICA 62 + 14.50 = 76.50, 25% kept = 250, so a check gives at most
    # 1,000 - 76.50 - 250 = 673.50 (rule 15); 8,000 + 16 x 673.50 = 18,776 deferred.
    r = planner(pay_per_period=1000)
    assert r["deferral_per_check"] == 673.50 and r["after_tax_per_check"] == 0
    assert r["projected_deferrals"] == 18776
    assert r["left_per_check"] == 250
    assert any("too small to defer the full $24,500" in w for w in r["warnings"])


def test_too_small_warning_only_when_the_years_deferrals_fall_short_of_the_limit():
    # 24,500 - 8,000 = 16,500 left over 16 checks = 1,031.25 a check. Keeping no take-home
    # pay, a check gives what FICA leaves: pay 1,116.67 less 69.23 + 16.19 = 85.42 is
    # 1,031.25, so 8,000 + 16 x 1,031.25 = 24,500, the full limit: no warning.
    exact = planner(pay_per_period="1116.67", take_home_percent=0)
    assert exact["deferral_per_check"] == 1031.25
    assert exact["projected_deferrals"] == 24500
    assert not any("too small" in w for w in exact["warnings"])
    # Pay 1,116.66 leaves 1,031.24: 8,000 + 16 x 1,031.24 = 24,499.84, 0.16 short.
    short = planner(pay_per_period="1116.66", take_home_percent=0)
    assert short["deferral_per_check"] == 1031.24
    assert short["projected_deferrals"] == 24499.84
    assert any("too small to defer the full $24,500" in w for w in short["warnings"])


def test_current_election_reaching_the_limit_early_is_flagged_with_match_lost():
    # 20% of 8,000 = 1,600 a check; 16,500 left: checks 1-10 take 16,000, check 11 takes 500.
    # Match: 10 x 320 + 320 (500 still earns the full 320) = 3,520 + 3,200 = 6,720 vs 8,320.
    r = planner(current_deferral_percent=20)
    assert any("at paycheck 11 of 16" in w and "$1,600 of match" in w for w in r["warnings"])


@pytest.mark.parametrize(
    ("frequency", "paid", "remaining", "most"),
    [
        # 52 weeks are 364 days: weekly and biweekly pay get one extra payday in some years
        ("weekly", 40, 13, 53),
        ("biweekly", 20, 7, 27),
        # twice a month and monthly fall on fixed dates: 2 x 12 = 24 and 12, never more
        ("semimonthly", 20, 4, 24),
        ("monthly", 2, 10, 12),
    ],
)
def test_only_weekly_and_biweekly_pay_can_have_an_extra_payday(frequency, paid, remaining,
                                                               most):
    # paid + remaining = the year's most paydays: accepted (fewer is a mid-year start)
    assert paid + remaining == most
    planner(pay_frequency=frequency, periods_paid=paid, periods_remaining=remaining)
    planner(pay_frequency=frequency, periods_paid=0, periods_remaining=remaining)
    # one more (a 13th monthly or 25th semimonthly paycheck) is refused, naming the field
    with pytest.raises(InputError) as caught:
        planner(pay_frequency=frequency, periods_paid=paid, periods_remaining=remaining + 1)
    assert caught.value.field == "periods_remaining"
    assert (f"paychecks paid plus remaining must be at most {most} for {frequency} pay"
            in caught.value.message)
    assert f"got {paid} + {remaining + 1}" in caught.value.message
    only_weekly = "only weekly and biweekly pay can have an extra payday"
    assert (only_weekly in caught.value.message) == (frequency in ("semimonthly", "monthly"))


def test_cents_that_even_checks_cannot_carry_do_not_trigger_a_shortfall_warning():
    # 2025: (23,500 - 8,000) / 17 = 911.7647 -> 911.76 a check; 17 x 911.76 = 15,499.92,
    # the last 0.08 goes on the last check, so the year reaches 23,500 exactly.
    r = planner(year=2025, periods_paid=9, periods_remaining=17)
    assert r["deferral_per_check"] == 911.76
    assert r["projected_deferrals"] == 23500
    assert not any("too small" in w for w in r["warnings"])


def test_after_tax_cents_left_by_even_checks_go_on_the_last_check_like_deferrals():
    # 2025, 9 checks paid, 17 left. Deferral (23,500 - 8,000) / 17 = 911.76, + 0.08 last.
    # Match 320 a check: 2,880 + 17 x 320 = 8,320. Room 70,000 - 23,500 - 8,320 = 38,180;
    # / 17 = 2,245.88 a check; 17 x 2,245.88 = 38,179.96, so the last check takes 0.04
    # more: after-tax 38,180 and the year 70,000 exactly (it used to stop at 69,999.96).
    for matched in (False, True):  # matched: the match is already full, so no room moves
        r = planner(year=2025, periods_paid=9, periods_remaining=17, ytd_match=2880,
                    after_tax_matched=matched)
        assert r["after_tax_per_check"] == 2245.88
        assert (r["projected_after_tax"], r["projected_match"]) == (38180, 8320)
        assert r["projected_total"] == 70000
        assert any("$0.08 more deferral and $0.04 more after-tax" in w for w in r["warnings"])


def test_current_election_reaching_the_limit_exactly_names_that_paycheck():
    # 15.5% of 10,000 = 1,550; 24,500 - 9,000 = 15,500 left: reached at paycheck 10 of 16.
    r = planner(pay_per_period=10000, ytd_deferrals=9000, current_deferral_percent="15.5")
    assert any("at paycheck 10 of 16" in w for w in r["warnings"])


def test_deferrals_over_402g_refunded_by_april_15_do_not_use_415c_room():
    # 30,000 deferred by age 40 in 2026: 5,500 over 24,500. The planner advises a refund by
    # April 15, and a timely refund is not an annual addition (Treas. Reg.
    # 1.415(c)-1(b)(2)(ii)): room 72,000 - 24,500 - 3,200 = 44,300 -> 2,768.75 a check
    # (not 72,000 - 30,000 - 3,200 = 38,800 -> 2,425); total 24,500 + 44,300 + 3,200 = 72,000.
    r = planner(ytd_deferrals=30000)
    assert r["after_tax_per_check"] == 2768.75
    assert r["projected_deferrals"] == 24500
    assert r["projected_total"] == 72000
    assert any("ask for the excess ($5,500) back before April 15" in w
               and "1.415(c)-1(b)(2)(ii)" in w for w in r["warnings"])
    # Two employers: 20,000 elsewhere + 8,000 here = 28,000, 3,500 over; refunded from this
    # plan, it keeps 4,500: room 72,000 - 4,500 - 3,200 = 64,300 -> 4,018.75 a check.
    r = planner(other_plan_deferrals=20000)
    assert (r["projected_deferrals"], r["after_tax_per_check"]) == (4500, 4018.75)
    assert any("excess ($3,500)" in w for w in r["warnings"])


def test_after_tax_already_above_the_room_warns():
    # defaults: room 39,180; 45,000 already contributed after tax
    r = planner(ytd_after_tax=45000)
    assert r["after_tax_per_check"] == 0
    assert any("more than this plan's 415(c) room" in w for w in r["warnings"])


def test_planner_passes_on_the_roth_catch_up_warning_for_the_catch_up_it_plans():
    # Age 55 in 2026: the planner defers 24,500 + 8,000; catch-up 8,000. It asks no
    # prior-year wages, so the rule comes conditional: 2025 FICA wages above 150,000
    # make the 8,000 Roth (IRC 414(v)(7); Treas. Reg. 1.414(v)-2); no FICA wages from
    # this employer, no rule. At 40 there is no catch-up and no such warning.
    [warning] = [w for w in planner(age=55)["warnings"] if "must be made as Roth" in w]
    assert warning.startswith("If your 2025 FICA wages from this employer (W-2 box 3) were "
                              "above $150,000, your catch-up of $8,000")
    assert "does not apply to you" in warning
    assert not any("must be made as Roth" in w for w in planner(age=40)["warnings"])


def test_planner_passes_on_the_acp_warning_for_after_tax_money():
    assert any("ACP test" in w for w in planner()["warnings"])


def test_other_employers_deferrals_share_402g_but_not_this_plans_415c():
    # 10,000 deferred at an earlier job: this plan may take 24,500 - 10,000 = 14,500 in all;
    # 14,500 - 8,000 = 6,500 / 16 = 406.25 a check (still above 5% of pay: full 320 match).
    # 415(c) here: 72,000 - 14,500 - 8,320 = 49,180 -> 3,073.75 a check.
    r = planner(other_plan_deferrals=10000)
    assert r["deferral_per_check"] == 406.25
    assert r["after_tax_per_check"] == 3073.75


def test_employer_money_in_other_plans_of_the_employer_shares_the_415c_limit():
    # IRC 415(f)(1)(B), 415(h): one 415(c) limit for all the defined-contribution plans of the
    # employer and its controlled group; reallocated forfeitures count too (415(c)(2)).
    # Defaults plus 10,000 into the employer's ESOP: room 72,000 - 24,500 - 8,320 - 10,000
    # = 29,180 -> 29,180 / 16 = 1,823.75 a check (not 2,448.75); total 72,000.
    r = planner(other_employer_contributions=10000)
    assert r["after_tax_per_check"] == 1823.75
    assert r["projected_after_tax"] == 29180
    assert r["projected_total"] == 72000


# --- What a paycheck can pay: FICA and take-home pay (rule 15, example H) -----------------

def test_example_h_the_planner_never_plans_more_than_a_paycheck_can_pay():
    # 2026, age 40, 2,800 biweekly, 26 checks left, nothing contributed, default match.
    # Deferral 24,500 / 26 = 942.30 (+0.20 on the last check); match 84 + 50% x 56 = 112 a
    # check, 2,912 for the year; 415(c) room 72,000 - 24,500 - 2,912 = 44,588, which would be
    # 1,714.92 a check: 942.30 + 1,714.92 = 2,657.22, 94% of pay, leaving 142.78, less than
    # the FICA on the check, 7.65% x 2,800 = 173.60 + 40.60 = 214.20 (IRC 3121(v)(1)(A):
    # contributions are FICA wages). With 25% kept (700), a check gives at most
    # 2,800 - 214.20 - 700 = 1,885.80: after-tax 1,885.80 - 942.30 - 0.20 (the last check's
    # extra deferral) = 943.30 a check, 24,525.80 for the year, 20,062.20 of the room unused.
    # Left after FICA: 2,800 - 942.30 - 943.30 - 214.20 = 700.20; on the last check 700.
    r = planner(pay_per_period=2800, periods_paid=0, periods_remaining=26, ytd_deferrals=0,
                ytd_match=0)
    assert (r["deferral_per_check"], r["deferral_percent"]) == (942.30, 33)
    assert (r["after_tax_per_check"], r["after_tax_percent"]) == (943.30, 33)
    assert r["projected_match"] == 2912
    assert r["projected_after_tax"] == 24525.80
    assert r["left_per_check"] == 700
    assert any("they leave $20,062.20 of after-tax room unused" in w
               and "at most $1,885.80" in w and "FICA (up to $214.20" in w
               and "the 25% you keep as take-home pay ($700)" in w for w in r["warnings"])


def test_take_home_pay_kept_is_the_readers_to_set_and_25_percent_when_left_empty():
    # Keeping 10% (280): a check gives 2,800 - 214.20 - 280 = 2,305.80; after-tax
    # 2,305.80 - 942.30 - 0.20 = 1,363.30 a check. Left empty: 25%, as above.
    base = {"pay_per_period": 2800, "periods_paid": 0, "periods_remaining": 26,
            "ytd_deferrals": 0, "ytd_match": 0}
    assert planner(**base, take_home_percent=10)["after_tax_per_check"] == 1363.30
    assert planner(**base, take_home_percent="") == planner(**base, take_home_percent=25)
    # Keeping everything after FICA: nothing can go in, and the planner says so.
    r = planner(**base, take_home_percent=100)
    assert (r["deferral_per_check"], r["after_tax_per_check"]) == (0, 0)
    assert any("too small to defer the full $24,500" in w for w in r["warnings"])


def test_an_even_election_fits_the_leanest_paycheck_the_ones_still_paying_social_security():
    # Defaults (8,000 biweekly, checks 11 to 26 of 2026), keeping 70% (5,600). Checks 11 to
    # 23 still pay Social Security: 496 + 116 = 612 of FICA, so they give at most
    # 8,000 - 612 - 5,600 = 1,788. By check 24 the year's wages pass the 184,500 wage base
    # (SSA), and by check 26 the 200,000 where the 0.9% additional Medicare tax is withheld
    # (IRC 3102(f)): 116 + 72 = 188 there. The even election fits the leanest: deferral
    # 1,031.25, after-tax 1,788 - 1,031.25 = 756.75 (not 2,448.75); left 5,600. The last
    # check can give 8,000 - 188 - 5,600 = 2,212, so it takes 2,212 - 1,788 = 424 more
    # after-tax: 16 x 756.75 + 424 = 12,532 for the year.
    r = planner(take_home_percent=70)
    assert (r["deferral_per_check"], r["after_tax_per_check"]) == (1031.25, 756.75)
    assert r["projected_after_tax"] == 12532
    assert r["left_per_check"] == 5600
    assert any("FICA (up to $612" in w for w in r["warnings"])
    assert any("The last paycheck takes $424 more after-tax" in w for w in r["warnings"])


@pytest.mark.parametrize(
    ("year", "pay", "paid_before", "fica"),
    [
        # IRC 3101(a) 6.2% up to the wage base (SSA: 2026 184,500; 2024 168,600),
        # 3101(b)(1) 1.45% on all, 3101(b)(2) 0.9% withheld above 200,000 (3102(f)).
        (2026, 2800, 0, "214.20"),          # 173.60 + 40.60
        (2026, 20000, 180000, "569.00"),    # 6.2% x 4,500 = 279 + 290
        (2026, 10000, 185000, "145.00"),    # Medicare only
        (2026, 10000, 195000, "190.00"),    # 145 + 0.9% x 5,000 = 45
        (2026, 10000, 200000, "235.00"),    # 145 + 90
        (2024, 10000, 160000, "678.20"),    # 6.2% x 8,600 = 533.20 + 145
    ],
)
def test_fica_on_a_paycheck_follows_the_wage_base_and_the_additional_medicare_tax(
        year, pay, paid_before, fica):
    from decimal import Decimal

    from calculators import load_limits
    from calculators.fica import paycheck_fica
    assert paycheck_fica(Decimal(pay), Decimal(paid_before),
                         load_limits().for_year(year)) == Decimal(fica)


def test_planner_counts_deferrals_above_415c_as_catch_up_from_50():
    # Treas. Reg. 1.414(v)-1(b): 2026, age 55, 1,000 biweekly for 26 checks (pay 26,000),
    # nothing kept beyond FICA: a check gives 1,000 - 76.50 = 923.50, all deferred (the
    # 32,500 limit is out of reach): 24,011. Match 100% of the first 10% of pay: 100 a check,
    # 2,600. 24,011 + 2,600 = 26,611 passes the pay (415(c) limit 26,000) by 611: catch-up,
    # so nothing to correct and no after-tax room.
    r = planner(age=55, pay_per_period=1000, periods_paid=0, periods_remaining=26,
                ytd_deferrals=0, ytd_match=0, match_rate_1=100, match_limit_1=10,
                match_rate_2=0, match_limit_2=0, take_home_percent=0)
    assert r["projected_deferrals"] == 24011
    assert r["projected_match"] == 2600
    assert r["after_tax_per_check"] == 0
    assert any(w.startswith("$611 of your deferrals are catch-up") for w in r["warnings"])


def test_match_on_deferrals_refunded_as_excess_is_taken_back():
    # IRC 411(a)(3)(G): a plan may forfeit the match tied to a refunded excess deferral, and
    # plan documents generally do. 23,000 deferred at another job + 8,000 here: this plan
    # may keep 24,500 - 23,000 = 1,500; 6,500 is refunded from it. The formula on the pay
    # so far (10 x 8,000 = 80,000): on 8,000 it paid 2,400 + 50% x 1,600 = 3,200; on the
    # 1,500 kept it pays 1,500 (100% of the first 3%). So 1,700 is taken back; the match is
    # 1,500; room 72,000 - 1,500 - 1,500 = 69,000 -> 69,000 / 16 = 4,312.50 a check
    # (it was 72,000 - 1,500 - 3,200 = 67,300 -> 4,206.25).
    r = planner(other_plan_deferrals=23000)
    assert r["projected_match"] == 1500
    assert r["after_tax_per_check"] == 4312.50
    assert any("here $1,700 of the match so far" in w and "411(a)(3)(G)" in w
               for w in r["warnings"])
    # A true-up matches only the deferrals kept: 1,500 on the year's 208,000 (not the
    # 7,120 that the 8,000 made would have earned).
    assert planner(other_plan_deferrals=23000, true_up=True)["projected_match"] == 1500


def test_refunded_deferrals_cost_no_match_when_the_kept_ones_earn_it_all():
    # 30,000 deferred at 40 in 2026: 5,500 refunded. On 80,000 of pay so far the formula
    # pays at most 4% = 3,200, on 30,000 and on the 24,500 kept alike: nothing is taken back.
    r = planner(ytd_deferrals=30000)
    assert r["projected_match"] == 3200
    assert any("the deferrals you keep earn the same match" in w for w in r["warnings"])
