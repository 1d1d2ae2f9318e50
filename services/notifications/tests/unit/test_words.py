"""Messages name shared enums by contracts.labels, except the few that read differently in a sentence."""

import pytest

from contracts.enums import ApplicationStatus, ApplicationType, LicenceStatus, PracticeCategory, RegistrationStatus
from contracts.labels import label
from notifications.domain.inbox import MessageNotFound
from notifications.domain.templates import IN_A_SENTENCE, LANGUAGES, word_for
from regsys_runtime.problems import problem_of


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("member", [*ApplicationType, *PracticeCategory, LicenceStatus.SUSPENDED])
def test_a_shared_enum_reads_as_its_label(member, language):
    assert word_for(member, language) == label(member, language)


def test_statuses_read_as_what_the_application_now_awaits():
    assert word_for(ApplicationStatus.INSTITUTION_REVIEW, "zh") == "待机构审核"
    assert word_for(ApplicationStatus.AUTHORITY_REVIEW, "en").startswith("past institution review")


def test_members_of_two_enums_with_one_value_keep_their_own_words():
    assert word_for(ApplicationStatus.APPROVED, "zh") == "已批准"
    assert word_for(LicenceStatus.VALID, "zh") == "已签发"
    assert word_for(RegistrationStatus.VALID, "zh") == "有效"


def test_the_sentence_wording_is_kept_only_where_it_differs_from_a_label():
    for language, words in IN_A_SENTENCE.items():
        for (_, member), word in words.items():
            assert word != label(member, language), (member, language)


def test_a_message_not_in_the_inbox_is_a_404_that_does_not_say_whose_it_is():
    problem = problem_of(MessageNotFound())
    assert (problem.status, problem.code) == (404, "message-not-found")
    assert problem.detail == "There is no such message in your inbox."
