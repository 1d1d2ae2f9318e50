import base64
import gzip

import pytest

from licensing.domain.status_list import (
    MINIMUM_BITS,
    StatusListError,
    bit_is_set,
    bitstring,
    decode,
    encode,
    list_length,
)


def test_lists_are_at_least_the_minimum_size_and_grow_in_whole_blocks():
    assert list_length(None) == MINIMUM_BITS
    assert list_length(MINIMUM_BITS - 1) == MINIMUM_BITS
    assert list_length(MINIMUM_BITS) == 2 * MINIMUM_BITS


def test_index_zero_is_the_leftmost_bit_of_the_first_byte():
    bits = bitstring([0, 9, MINIMUM_BITS - 1], MINIMUM_BITS)
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert bits[-1] == 0b0000_0001
    assert [i for i in range(16) if bit_is_set(bits, i)] == [0, 9]


def test_the_encoded_list_is_multibase_base64url_of_gzip_and_decodes_back():
    bits = bitstring([3, 77_000], MINIMUM_BITS)
    encoded = encode(bits)
    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    raw = encoded[1:]
    assert gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))) == bits
    assert decode(encoded) == bits
    assert encode(bits) == encoded  # the same bits always give the same bytes (ETag)


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(StatusListError):
        bitstring([MINIMUM_BITS], MINIMUM_BITS)
    with pytest.raises(StatusListError):
        decode("zabc")
    with pytest.raises(StatusListError):
        decode("u!!!!")
