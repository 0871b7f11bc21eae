"""The passage model (issue 9): roles from a quantity's own words, framing, elliptical numbers, relations
solved in any direction, comparisons, what is not a claim. Sentences written for these tests, several
wordings of each pattern; the verdicts follow from the reference data and the formulas."""
import pytest


def verdicts(ep) -> dict[str, tuple[str, str]]:
    """quote -> (kind, verdict)."""
    return {c.quote: (c.kind, k.verdict) for c, k in zip(ep.claims, ep.checks)}


def claim(ep, quote):
    found = [(c, k) for c, k in zip(ep.claims, ep.checks) if c.quote == quote]
    assert len(found) == 1, [c.quote for c in ep.claims]
    return found[0]


# ---------------------------------------------------------------- roles from a quantity's own words

@pytest.mark.parametrize("text,quote", [
    # Llama 3 8B: 2 x 32 layers x 8 KV heads x 128 x 2 bytes = 131,072 B = 128 KiB per token
    ("Take Llama 3 8B and its KV cache. Each new token adds roughly 128 kilobytes.", "roughly 128 kilobytes"),
    ("On Llama 3 8B the cache grows by 128 KB for every token you generate.", "128 KB"),
    ("Llama 3 8B, KV cache: for each token it stores 128 kilobytes.", "128 kilobytes"),
])
def test_a_per_token_cache_is_read_per_token(check_text, text, quote):
    c, k = claim(check_text(text), quote)
    assert (c.kind, k.verdict) == ("kv_cache_per_token", "consistent")


@pytest.mark.parametrize("text,total,active", [
    ("Mixtral 8x7B packs 46.7 billion parameters, of which 12.9 billion are active.", "46.7 billion parameters", "12.9 billion"),
    ("DeepSeek-V3 has 671 billion parameters in total and 37 billion active.", "671 billion parameters", "37 billion active"),
])
def test_total_and_active_bind_to_their_own_numbers(check_text, text, total, active):
    ep = check_text(text)
    assert verdicts(ep)[total] == ("parameter_count", "consistent")
    c, k = claim(ep, active)
    assert (c.role, k.verdict) == ("params_active", "consistent")


@pytest.mark.parametrize("text,quotes", [
    ("Llama 2 13B takes 26 gigabytes in fp16, or about 6.5 in int4.", ["26 gigabytes", "about 6.5"]),
    ("In bf16 Llama 3 8B is 16 gigs, and in int8 it is 8 gigs.", ["16 gigs", "8 gigs"]),
    ("Llama 3 70B at 8-bit fits in 70 gigabytes, and at 4-bit in about 35.", ["70 gigabytes", "about 35"]),
])
def test_a_precision_binds_to_the_quantity_beside_it(check_text, text, quotes):
    got = verdicts(check_text(text))
    assert [got[q] for q in quotes] == [("weight_memory", "consistent")] * 2


@pytest.mark.parametrize("text,quote", [
    ("Llama 3 70B has an 8K hidden dimension.", "8K hidden dimension"),
    ("Llama 2 7B works with a 4096 hidden size.", "4096 hidden size"),
])
def test_hidden_size_is_architecture(check_text, text, quote):
    c, k = claim(check_text(text), quote)
    assert (c.kind, k.verdict) == ("architecture", "consistent")


def test_gpu_hours_are_not_gpus(check_text):
    c, k = claim(check_text("Llama 3 70B took 6.4 million H100 GPU hours."), "6.4 million H100 GPU hours")
    assert (c.kind, k.verdict) == ("training_gpu_hours", "consistent")


# ---------------------------------------------------------------- framing

@pytest.mark.parametrize("text,quote,verdict", [
    ("Suppose you train a 30B model on 2 trillion tokens. That's about 3.6 times 10 to the 23 FLOPs.",
     "about 3.6 times 10 to the 23 FLOPs", "consistent"),
    ("Say we take a 30B model and 2 trillion tokens, so roughly 3.6 times 10 to the 24 FLOPs.",
     "roughly 3.6 times 10 to the 24 FLOPs", "mismatch"),
    ("Imagine a 30B model trained on 2 trillion tokens: six N D is 3.6e23 FLOPs.", "3.6e23 FLOPs", "consistent"),
])
def test_a_hypothetical_is_checked_against_what_was_said(check_text, text, quote, verdict):
    ep = check_text(text)
    c, k = claim(ep, quote)
    assert k.verdict == verdict and c.subject is None
    assert {i.source.split(":")[0] for i in k.inputs} == {"stated"}
    premises = [k for c, k in zip(ep.claims, ep.checks) if c.role in ("params", "tokens")]
    assert premises and all(k.verdict == "unverifiable" for k in premises)


@pytest.mark.parametrize("text,quote,verdict", [
    # Chinchilla: 20 tokens per parameter; Llama 2 70B has 69 billion parameters and really saw 2 trillion tokens
    ("Llama 2 70B is interesting. By the Chinchilla rule it should have seen about 1.4 trillion tokens.",
     "about 1.4 trillion tokens", "consistent"),
    ("Llama 2 70B, trained Chinchilla-style, would need 14 trillion tokens.", "14 trillion tokens", "mismatch"),
])
def test_a_counterfactual_follows_its_rule_not_the_real_model(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert c.framing == "counterfactual" and k.verdict == verdict
    assert any("Chinchilla rule" in i.source for i in k.inputs)


@pytest.mark.parametrize("text", [
    "We should do this again in ten years.",
    "Nine months ago nobody talked about this.",
    "We record every two weeks.",
    "I'm 34 and I still can't do this in my head.",
    "About sixty percent of you listen on your phone.",
    "It generates one token at a time.",
    "Back in 2019 we did this wrong.",
])
def test_numbers_that_are_not_claims(check_text, text):
    assert check_text(text).claims == []


# ---------------------------------------------------------------- elliptical numbers and corrections

@pytest.mark.parametrize("text,quote,verdict", [
    ("A: In fp16 Llama 3 8B weighs 32 gigabytes.\nB: Sixteen. That was fp32.", "Sixteen", "consistent"),
    ("A: Llama 3 70B in bf16 is about 70 gigabytes, right?\nB: More like 140.", "More like 140", "consistent"),
])
def test_a_correction_takes_the_unit_it_corrects(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert (c.kind, k.verdict) == ("weight_memory", verdict)
    assert c.elliptical


def test_a_bare_range_after_talk_of_tokens_is_tokens(check_text):
    ep = check_text("The story is the data, the tokens. Between Llama 2 and Llama 3 it went from 2 trillion to 15 trillion.")
    assert verdicts(ep)["2 trillion"] == ("training_tokens", "consistent")
    assert verdicts(ep)["15 trillion"] == ("training_tokens", "consistent")


# ---------------------------------------------------------------- relations in any direction

@pytest.mark.parametrize("text,quote,verdict", [
    ("The run was 1.2 million GPU hours at $2.50 an hour, so $3 million.", "$3 million", "consistent"),
    ("The run was 1.2 million GPU hours at $2.50 an hour, so $30 million.", "$30 million", "mismatch"),
    ("It cost $3 million. That is 1.2 million GPU hours at $2.50 an hour.", "1.2 million GPU hours", "consistent"),
    ("It cost $3 million. That is 12 million GPU hours at $2.50 an hour.", "12 million GPU hours", "mismatch"),
])
def test_cost_is_checked_whichever_figure_comes_last(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert k.verdict == verdict, k.notes
    assert "price per GPU-hour" in k.formula


def test_a_premise_is_not_checked_by_what_follows_from_it(check_text):
    ep = check_text("Say we rent 1,000 H100s at $2 an hour. Over a day that is $48,000.")
    c, k = claim(ep, "1,000 H100s")
    assert k.verdict == "unverifiable"


# ---------------------------------------------------------------- comparisons between named things

@pytest.mark.parametrize("text,quote,verdict", [
    ("The H200 has about 76% more memory than the H100.", "about 76%", "consistent"),   # 141 / 80 GB
    ("The H200 has 176% more memory than the H100.", "176%", "mismatch"),
    ("An H100 has roughly 3 times the compute of an A100.", "roughly 3 times", "consistent"),  # 989 / 312 TFLOP/s
])
def test_a_ratio_between_two_named_chips(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert (c.kind, k.verdict) == ("ratio", verdict)
    assert len([i for i in k.inputs if i.source.startswith("reference")]) == 2


def test_a_comparison_of_things_that_do_not_compare_is_unverifiable(check_text):
    """A model's training FLOPs against a chip's FLOP/s: no ratio, and no crash."""
    c, k = claim(check_text("GPT-3 used 3.14e23 FLOPs, about 300 times the compute of an H100."), "about 300 times")
    assert k.verdict == "unverifiable" and any("do not compare" in n for n in k.notes)


# ---------------------------------------------------------------- bounds

@pytest.mark.parametrize("text,quote,verdict", [
    # Llama 3 70B: 15T tokens over 70.6B parameters = 213 tokens per parameter
    ("Llama 3 70B saw over 150 tokens per parameter.", "over 150 tokens per parameter", "consistent"),
    ("Llama 3 70B saw under 150 tokens per parameter.", "under 150 tokens per parameter", "mismatch"),
    ("Llama 3 70B saw more than 10 tokens per parameter.", "more than 10 tokens per parameter", "mismatch"),  # 21x past it
    ("Llama 3 70B saw fewer than 1,000 tokens per parameter.", "fewer than 1,000 tokens per parameter", "consistent"),
])
def test_a_bound_is_compared_with_its_direction_and_must_be_near(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert k.verdict == verdict, k.notes


@pytest.mark.parametrize("text,verdict", [
    ("Llama 3 8B on one H100 in bf16: one user gets at most 200 tokens a second.", "consistent"),  # 3.35 TB/s / 16 GB
    ("Llama 3 8B on one H100 in bf16: one user gets at most 60 tokens a second.", "mismatch"),
])
def test_a_ceiling_said_as_a_ceiling(check_text, text, verdict):
    ep = check_text(text)
    (c, k), = [(c, k) for c, k in zip(ep.claims, ep.checks) if c.kind == "decode_throughput"]
    assert k.verdict == verdict, k.notes


@pytest.mark.parametrize("text,said,corrected", [
    ("Llama 3 70B holds about 0.5 bits per token in its weights. Wait, 0.07, not 0.5.", "about 0.5 bits per token", "0.07"),
    ("A: Llama 2 13B needs 52 gigabytes in fp16.\nB: No, 26. Not 52.", "52 gigabytes", "26"),
])
def test_a_self_correction_is_checked_and_what_it_corrects_is_not_said_again(check_text, text, said, corrected):
    got = verdicts(check_text(text))
    assert got[said][1] == "mismatch" and got[corrected][1] == "consistent"
    assert len(got) == 2  # "not 0.5" repeats the figure corrected: no claim


@pytest.mark.parametrize("text,quote,subject", [
    ("Llama 3 comes in two sizes. The big one has 70 billion parameters.", "70 billion parameters", "Llama 3 70B"),
    ("We looked at Llama 3 8B. That model was trained on 15 trillion tokens.", "15 trillion tokens", "Llama 3 8B"),
    ("Take Llama 2 13B. It keeps 800 kilobytes of KV cache per token.", "800 kilobytes", "Llama 2 13B"),
])
def test_pronouns_and_size_references_follow_the_passage(check_text, text, quote, subject):
    c, k = claim(check_text(text), quote)
    assert c.subject.name == subject and k.verdict == "consistent"


@pytest.mark.parametrize("text", [
    "Llama 3 70B has 80 layers. And the 3.1 version goes out to 128K context.",
    "Llama 3 70B has 80 layers. With version 3.1 it handles a 128K context window.",
])
def test_another_version_of_the_model_under_discussion(check_text, text):
    (c, k), = [(c, k) for c, k in zip(*(lambda ep: (ep.claims, ep.checks))(check_text(text))) if c.quote.startswith("128K")]
    assert (c.subject.name, k.verdict) == ("Llama 3.1 70B", "consistent")


def test_a_figure_restated_later_stands_as_checked(check_text):
    text = ("GPT-3 cost $60 per million tokens to run; small models now cost $0.05. That's a 1200x drop. "
            + "We talked about chips. We talked about memory. We talked about power. " * 5
            + "Moore's law gave us 2x every two years. This is 1200x in three.")
    ep = check_text(text)
    ks = [k for c, k in zip(ep.claims, ep.checks) if c.quote == "1200x"]
    assert [k.verdict for k in ks] == ["consistent", "consistent"]
    assert any("restates" in n for n in ks[1].notes)


@pytest.mark.parametrize("text,verdict", [
    ("LLMs are typically trained on the order of 10 to the 13 tokens.", "consistent"),
    ("In general, language models are trained on about 10 to the 16 tokens.", "mismatch"),
])
def test_a_figure_of_models_in_general_is_checked_against_the_span_of_the_reference(check_text, text, verdict):
    ep = check_text(text)
    (c, k), = zip(ep.claims, ep.checks)
    assert c.subject is None and k.verdict == verdict
    assert len(k.inputs) == 2 and all(i.source.startswith("reference") for i in k.inputs)


def test_the_cue_component_is_data_and_serializes_like_spacys_own(tmp_path):
    """Adding a cue is a data change; the patterns travel with the pipeline through to_disk and spacy.load."""
    import spacy
    from pipeline import nlp as nlp_mod

    nlp = nlp_mod.build()
    cues = nlp.get_pipe("claimcheck_cues")
    patterns = {**cues.patterns, "local": {**cues.patterns["local"], "active": ["switched on"]}}
    cues.set_patterns(patterns)
    nlp.to_disk(tmp_path / "pipe")
    again = spacy.load(tmp_path / "pipe")
    doc = again("It has 37 billion parameters switched on per token.")
    assert [s.label_ for s in doc.spans["cues"] if s.text == "switched on"] == ["local:active"]


def test_a_model_named_as_a_yardstick_is_not_the_subject(check_text):
    ep = check_text("Let's talk GPT-3. It saw about 1.7 tokens per parameter, way under Chinchilla. "
                    "By Chinchilla it should have seen 3.5 trillion tokens.")
    c, k = claim(ep, "about 1.7 tokens per parameter")
    assert (c.subject.name, k.verdict) == ("GPT-3 175B", "consistent")
    c, k = claim(ep, "3.5 trillion tokens")
    assert (c.framing, k.verdict) == ("counterfactual", "consistent")  # 20 x 175B, not what GPT-3 really saw


@pytest.mark.parametrize("text,quote,role,verdict", [
    # a cluster's throughput and the weights read per token
    # 10,000 x 989 TFLOP/s x 50% = 4.9 exaFLOP/s
    ("Imagine 10,000 H100s running at 50% MFU. That's about 5 exaflops sustained.", "about 5 exaflops", "sustained", "consistent"),
    ("Imagine 10,000 H100s running at 50% MFU. That's about 50 exaflops sustained.", "about 50 exaflops", "sustained", "mismatch"),
    # Mixtral 8x7B: 12.9B active parameters x 2 bytes = 25.8 GB read for each token
    ("Mixtral 8x7B in fp16: decoding reads about 26 gigabytes per token.", "about 26 gigabytes per token", "weights_read", "consistent"),
    # the memory of a node, and the settings of a scenario
    ("Llama 3.1 405B in bf16 is about 810 gigabytes, so it won't fit on one 8-GPU H100 node with 640 gigs.",
     "about 810 gigabytes", "weight_memory", "consistent"),
    ("Llama 3.1 405B in bf16 is about 810 gigabytes, so it won't fit on one 8-GPU H100 node with 640 gigs.",
     "640 gigs", "node_memory", "consistent"),
    ("A node of 8 H100s has 800 gigabytes of memory in total.", "800 gigabytes", "node_memory", "mismatch"),
    # a setting, not a claim of the model's context: "at a 4K context"
    ("Llama 2 70B keeps 320 kilobytes per token of KV cache. At a 4K context that's about 1.3 gigabytes.",
     "4K context", "context", "unverifiable"),
    # a chip's memory, a model's weights and counts of its parts
    ("Each H100 gives you 80 gigs, so to hold Llama 3 70B in fp16 you need two of them.", "80 gigs", "hw_memory", "consistent"),
    ("On an H100, Llama 3 8B takes 16 gigs in bf16.", "16 gigs", "weight_memory", "consistent"),
    ("DeepSeek V3 has 61 layers, 256 routed experts with 8 active.", "256 routed experts", "experts", "consistent"),
])
def test_a_figure_gets_its_role_from_its_own_words_and_is_checked_by_it(check_text, text, quote, role, verdict):
    c, k = claim(check_text(text), quote)
    assert (c.role, k.verdict) == (role, verdict), k.notes


def test_a_price_per_gpu_hour_said_in_full(check_text):
    ep = check_text("Say 1,000 H100s for 10 days at $2 per GPU hour. That's about 480 thousand dollars.")
    c, k = claim(ep, "about 480 thousand dollars")
    assert k.verdict == "consistent" and "price per GPU-hour" in k.formula


def test_a_figure_said_of_an_unnamed_model_is_not_the_named_ones(check_text):
    ep = check_text("With MLA the cache is about 70 KB per token for DeepSeek V3, "
                    "versus something like 2.5 megabytes for a dense 70B model without GQA.")
    got = verdicts(ep)
    assert got["about 70 KB per token"] == ("kv_cache_per_token", "consistent")
    assert got["something like 2.5 megabytes"][1] == "unverifiable"  # not DeepSeek-V3's: no flag
    assert got["70B model"][1] != "mismatch"


@pytest.mark.parametrize("text", [
    "DeepSeek V3 has 37 billion active per token.",
    "DeepSeek V3 has 37 billion active parameters per token.",
])
def test_active_per_token_is_the_active_parameter_count(check_text, text):
    ep = check_text(text)
    (c, k), = zip(ep.claims, ep.checks)
    assert (c.role, k.verdict) == ("params_active", "consistent")


@pytest.mark.parametrize("text,quote,verdict", [
    ("Training GPT-3 used about 3,640 petaflop-days.", "about 3,640 petaflop-days", "consistent"),  # 3.14e23 FLOPs
    ("Training GPT-3 used about 30,000 petaflop-days.", "about 30,000 petaflop-days", "mismatch"),
    ("Llama 3 8B was trained on 15 trillion tokens. At 16 bits that's 128 billion bits of weights.", "128 billion bits",
     "consistent"),
])
def test_compute_in_petaflop_days_and_a_precision_said_in_bits(check_text, text, quote, verdict):
    ep = check_text(text)
    c, k = claim(ep, quote)
    assert k.verdict == verdict and "16 bits" not in verdicts(ep)


def test_an_unnamed_model_of_another_size_is_not_the_one_named_before(check_text):
    ep = check_text("When GPT-3 came out it was 175 billion parameters. Now you can run a 7B model on a laptop "
                    "with 16 gigs of RAM. Quantized to 4-bit, a 7B model is about 3.5 gigs. "
                    "And people fine-tune 70B models on a single 80 gig A100.")
    got = verdicts(ep)
    assert got["about 3.5 gigs"] == ("weight_memory", "consistent")  # 7B x half a byte, not GPT-3's
    assert got["16 gigs"][1] == "unverifiable"  # a laptop's memory, not weights
    assert got["80 gig"] == ("hardware_spec", "consistent")  # the A100's
    assert "mismatch" not in {v for _, v in got.values()}


def test_a_prediction_is_no_claim_about_a_real_model(check_text):
    ep = check_text("GPT-3 had 175 billion parameters. In five years we'll have 10 trillion parameter models, "
                    "and training one would take 10 to the 27 FLOPs.")
    assert "mismatch" not in {k.verdict for k in ep.checks}


@pytest.mark.parametrize("text,quote,verdict", [
    ("Mistral 7B is 7.3 billion parameters.", "7.3 billion parameters", "consistent"),  # 7.24B: within 10%
    ("Mixtral used eight of those experts, two active per token.", "two active", "consistent"),  # every Mixtral: 2 of 8
    ("Mixtral 8x7B: per token you're only using about 13 billion parameters.", "about 13 billion parameters", "consistent"),
    ("Inference went from $20 per million tokens to about 10 cents. That's a 200x drop.", "200x", "consistent"),
])
def test_rounding_families_per_token_and_cents(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert k.verdict == verdict, k.notes


def test_auto_captions_without_punctuation(check_text):
    """Spoken sizes and names, digits said one by one, one long 'sentence': each figure goes with the model
    named nearest before it."""
    text = ("so llama three seventy b was trained on like fifteen trillion tokens and the eight b also fifteen "
            "trillion and then the four oh five b used sixteen thousand h one hundreds for like thirty million "
            "gpu hours and the kv cache for the seventy b is like three hundred twenty kilobytes per token")
    ep = check_text(text)
    got = {c.quote: (c.subject.name if c.subject else None, k.verdict) for c, k in zip(ep.claims, ep.checks)}
    assert got["sixteen thousand h one hundreds"] == ("Llama 3.1 405B", "consistent")
    assert got["like thirty million gpu hours"] == ("Llama 3.1 405B", "consistent")
    assert got["like three hundred twenty kilobytes per token"][1] == "consistent"
    assert "mismatch" not in {v for _, v in got.values()}


@pytest.mark.parametrize("text,quote,verdict", [
    # the rule's figure is no fact: "over 200 per parameter" is checked against what Llama 3 70B saw (213)
    ("Chinchilla said twenty tokens per parameter. By that rule Llama 3 70B should have stopped at 1.4 trillion tokens. "
     "It's over 200 per parameter.", "over 200 per parameter", "consistent"),
    ("Chinchilla said twenty tokens per parameter. Llama 3 70B is at more like 210 per parameter.",
     "more like 210 per parameter", "consistent"),
])
def test_a_bare_number_per_unit_takes_the_rate_said_before(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert (c.kind, k.verdict) == ("tokens_per_parameter", verdict), k.notes


@pytest.mark.parametrize("text,quote,verdict", [
    ("Llama 3 70B has a 128K context in the 3.1 release, up from 8K.", "128K context", "consistent"),
    ("Llama 3 70B has a 128K context in the 3.1 release, up from 8K.", "8K", "unverifiable"),  # what it was before
    ("The 8K was 8,192 tokens.", "8,192 tokens", "unverifiable"),  # a count of tokens, not a training set
    ("DeepSeek V3's cache is about 70 KB per token, versus about 320 KB for Llama 3 70B.", "about 320 KB", "consistent"),
])
def test_versions_earlier_states_and_figures_said_for_a_name(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert k.verdict == verdict, k.notes


@pytest.mark.parametrize("text,weights,card", [
    ("Llama 2 70B in 16-bit is about 140 gigs of weights, so it won't fit on one 80 gig card.", "about 140 gigs", "80 gig"),
    ("At bf16, Llama 2 70B needs 140 GB for the weights and an H100 is an 80 GB chip.", "140 GB", "80 GB"),
])
def test_a_cards_memory_is_the_cards_not_the_weights(check_text, text, weights, card):
    ep = check_text(text)
    assert claim(ep, weights)[0].kind == "weight_memory"
    c, k = claim(ep, card)
    assert c.kind != "weight_memory" and k.verdict != "mismatch"


# ---------------------------------------------------------------- names with several readings, serving, ratios said after

@pytest.mark.parametrize("text,quote,verdict", [
    # a family whose models differ: one agreeing is agreement; Llama 3's point releases are Llama 3 too
    ("Meta trained Llama 3 on about 16,000 H100s.", "about 16,000 H100s", "consistent"),
    ("For Llama 3 they said the training run used 16K H100 GPUs.", "16K H100 GPUs", "consistent"),
    ("The DeepSeek team pre-trained it on roughly 2,000 H800s.", "roughly 2,000 H800s", "consistent"),
    # none agreeing is no evidence: the speaker may mean a model whose figure is not in the reference data
    ("DeepSeek trained their models on 10,000 GPUs.", "10,000 GPUs", "unverifiable"),
    # a maker's name and a size: every model so named, and they agree
    ("Llama 70B has 80 layers.", "80 layers", "consistent"),
    ("You know, llama 70B is an 8K hidden dimension model.", "8K hidden dimension", "consistent"),
    ("Take Llama 7B, with its 4,096 hidden dimension.", "4,096 hidden dimension", "consistent"),
    ("Llama 70B has 64 layers.", "64 layers", "unverifiable"),  # a maker and a size may mean a model not in the data
    # "say" before a named model picks an example, it does not set up a hypothetical
    ("Let's say Llama 70B is an 8K hidden dimension and your batch is 64.", "8K hidden dimension", "consistent"),
    ("Say Llama 3 70B, which has 80 layers.", "80 layers", "consistent"),
    # a maker named: its models are the readings
    ("Meta trained it on 16,000 H100s.", "16,000 H100s", "consistent"),
    ("Google now has million token context in its models.", "million token context", "consistent"),
    ("Anthropic ships a 200K context window.", "200K context window", "consistent"),
    ("OpenAI trained on 50,000 GPUs, they say.", "50,000 GPUs", "unverifiable"),
    # a ratio checked by the two figures the same speaker says just after it
    ("We've had a 1000x drop in price. It went from $20 per million tokens. Now it's about 2 cents.", "1000x", "consistent"),
    ("Prices fell 40x over two years. Back then it was $30 a million tokens, and today it is 75 cents.", "40x", "consistent"),
    # what follows does not give it: no evidence either way
    ("Prices fell 40x over two years. Back then it was $30 a million tokens, and today it is $3.", "40x", "unverifiable"),
    # one DeepSeek-V3 serving replica: a prefill unit of 32 GPUs and a decode unit of 144 (320 in the V3 paper)
    ("DeepSeek's implementation of inference is like 180 GPUs for one replica.", "like 180 GPUs", "consistent"),
    ("Serving DeepSeek-V3 takes about 350 GPUs per deployment.", "about 350 GPUs", "consistent"),
    # other deployments of the same model exist (a single node, another provider): no evidence against it
    ("To serve DeepSeek-V3 you need just 8 GPUs for a full deployment unit.", "8 GPUs", "unverifiable"),
    # a count of GPUs said of neither training nor serving: nothing to compare it with
    ("DeepSeek has about 50,000 GPUs.", "about 50,000 GPUs", "unverifiable"),
])
def test_a_figure_gets_the_verdict_its_passage_gives(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert k.verdict == verdict, (k.notes, c.subject_how)


@pytest.mark.parametrize("text,quote,subject", [
    ("DeepSeek is interesting. V3 was pre-trained on 2,048 H800s.", "2,048 H800s", "DeepSeek-V3"),
    ("Back to DeepSeek: for V3 they used 2048 GPUs in pre-training.", "2048 GPUs", "DeepSeek-V3"),
    ("We talked about DeepSeek. V2 has 236 billion parameters in total.", "236 billion parameters", "DeepSeek-V2"),
    ("Claude 3 comes in three sizes. Opus has a 200K context window.", "200K context window", "Claude 3 Opus"),
])
def test_a_model_named_by_its_short_name_within_the_family_under_discussion(check_text, text, quote, subject):
    c, k = claim(check_text(text), quote)
    assert (c.subject.name, k.verdict) == (subject, "consistent"), k.notes


@pytest.mark.parametrize("text,quote", [
    ("Llama 3 70B has a hidden size of 8,192.", "8,192"),
    ("For Llama 3 70B the model dimension is 8192.", "8192"),
    ("Llama 3 8B has a context window of 8K.", "8K"),
])
def test_a_number_takes_its_unit_from_the_noun_it_is_the_value_of(check_text, text, quote):
    c, k = claim(check_text(text), quote)
    assert (c.kind, k.verdict) == ("architecture", "consistent"), k.notes


# ---------------------------------------------------------------- the speaker's own arithmetic, inputs before or after

@pytest.mark.parametrize("text,quote,verdict", [
    ("Each token is about two bytes, and we train on 10 trillion tokens, so that's 20 trillion bytes of text.",
     "20 trillion bytes", "consistent"),
    ("A camera streams 5 megabytes per second. Over 10 hours that's 180 gigabytes.", "180 gigabytes", "consistent"),
    ("In 10 hours at 5 megabytes per second, that's 500 gigabytes.", "500 gigabytes", "mismatch"),
    # the inputs said after the figure they give: checked, but what does not match is no evidence
    ("The archive holds about 180 gigabytes. You get that from 10 hours of video at 5 megabytes per second.",
     "about 180 gigabytes", "consistent"),
    ("The archive holds about 900 gigabytes. You get that from 10 hours of video at 5 megabytes per second.",
     "about 900 gigabytes", "unverifiable"),
    # "byes": how speech-to-text writes "bytes"
    ("Every token is typically two byes, so 10 to the 12 tokens is two 10 to the 12 bytes.", "two 10 to the 12 bytes",
     "consistent"),
])
def test_a_figure_the_speaker_works_out_from_figures_said_around_it(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert k.verdict == verdict, (c.kind, c.role, k.notes)


def test_a_duration_is_an_input_not_a_claim(check_text):
    ep = check_text("She has been awake for 16,000 hours, at about 20 megabytes per second. That is about 10 to the 15 bytes.")
    assert [c.quote for c in ep.claims if not c.input_only and "hours" in c.quote] == []
    c, k = claim(ep, "about 10 to the 15 bytes")
    assert k.verdict == "consistent" and {i.name for i in k.inputs} == {"a", "b"}


@pytest.mark.parametrize("text,quote", [
    ("Llama 3 70B goes to 128K, but it's a few thousand tokens of context most of the time.", "a few thousand tokens"),
    ("With Llama 3 70B, in practice people send 2,000 tokens of context.", "2,000 tokens"),
])
def test_a_figure_of_use_is_not_the_models_spec(check_text, text, quote):
    c, k = claim(check_text(text), quote)
    assert c.kind != "architecture" and k.verdict == "unverifiable"


@pytest.mark.parametrize("text,quote,low,high", [
    ("GPT-4 was a couple hundred million dollars.", "a couple hundred million dollars", 2e8, 3e8),
    ("They trained on a few trillion tokens.", "a few trillion tokens", 2e12, 6e12),
    ("There are several orders of magnitude more data in vision.", "several orders of magnitude", 10 ** 2.5, 10 ** 9.5),
])
def test_vague_numbers_are_read_as_the_span_they_say(check_text, text, quote, low, high):
    c, _ = claim(check_text(text), quote)
    assert (c.quantity.rounding.low, c.quantity.rounding.high) == pytest.approx((low, high))


def test_a_vague_count_of_things_is_no_claim(check_text):
    assert check_text("We had a couple of GPUs and a few tokens to spare.").claims == []


@pytest.mark.parametrize("text,quote,verdict", [
    # a figure said of a kind of model ("1B parameter models"): the span of the models in the reference data
    ("These days you can get really smart 3 billion parameter models.", "3 billion parameter", "consistent"),
    ("Labs now ship trillion parameter models.", "trillion parameter", "consistent"),
    ("A year ago we got 200K context windows, which was a big deal.", "200K context", "consistent"),
    ("Some people have 100 trillion parameter models, they say.", "100 trillion parameter", "unverifiable"),  # not in the data is not absent
])
def test_a_figure_of_a_kind_of_model_is_checked_against_the_span_of_the_reference(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert c.generic and k.verdict == verdict, k.notes


@pytest.mark.parametrize("text,quote", [
    ("Nine months ago we shipped 128K context windows.", "128K context"),
    ("Two years from now, 10 trillion tokens will be normal.", "10 trillion tokens"),
])
def test_ago_binds_to_the_time_before_it_not_the_figure_after(check_text, text, quote):
    claim(check_text(text), quote)  # found, and only once


def test_a_maker_named_while_its_model_is_discussed_is_that_model(check_text):
    c, k = claim(check_text("So, Llama 3 70B. Meta says it saw 15 trillion tokens."), "15 trillion tokens")
    assert c.subject.name == "Llama 3 70B" and k.verdict == "consistent"


def test_a_hypothetical_ends_when_the_passage_moves_on(check_text):
    text = ("Say you train a 13B model on 2 trillion tokens. "
            + "We talked about evals for a while. Then about the economy. " * 5
            + "Labs now ship 100K context windows.")
    c, k = claim(check_text(text), "100K context")
    assert c.framing is None and k.verdict == "consistent"


@pytest.mark.parametrize("text,quote,verdict", [
    # a training cost against the cost the maker published (DeepSeek-V3: $5.576M)
    ("DeepSeek-V3 cost about $5.6 million to train.", "about $5.6 million", "consistent"),
    ("Training DeepSeek-V3 cost $500,000.", "$500,000", "mismatch"),
    # more than the final run may count what the published cost leaves out (research, salaries)
    ("Training DeepSeek-V3 cost $50 million.", "$50 million", "unverifiable"),
    # a bare figure beside a word of money is dollars
    ("People forget the 6 million that DeepSeek spent was only the final training run.", "6 million", "consistent"),
    ("DeepSeek charges about 2 dollars per hour on some clouds, and that cost 5 dollars.", "5 dollars", "unverifiable"),
    ("DeepSeek spent maybe 5 million on the run.", "5 million", "consistent"),
])
def test_a_training_cost_is_checked_against_the_published_cost(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert (c.quantity.unit, k.verdict) == ("dollar", verdict), k.notes


def test_a_maker_named_long_after_its_model_is_a_new_subject(check_text):
    text = ("GPT-3 was trained on a big cluster. " + "The run took a long time and it was expensive to do that. " * 6
            + "Then OpenAI built a site, and they have 100,000 GPUs there.")
    c, _ = claim(check_text(text), "100,000 GPUs")
    assert c.subject is None or c.subject.name == "OpenAI"


def test_a_name_far_after_a_figure_is_not_its_subject(check_text):
    c, k = claim(check_text("We shipped 100K context windows and everyone was surprised, and then after a while "
                            "the people over at Google talked about it too"), "100K context")
    assert c.subject is None and k.verdict == "consistent"


@pytest.mark.parametrize("text", [
    # sums of money and counts of people are not parameter counts
    "Meta's market cap is like 1.8 trillion now.",
    "xAI raised 6 billion in its Series B, at a 24 billion valuation.",
    "Llama 3 has more than 700 million monthly active users.",
    # a maker or a family is an open set: models the reference data lacks
    "Meta's Llama 4 Behemoth has about two trillion parameters.",
    "Grok 3 has 2.7 trillion parameters.",
    "DeepSeek put out a 67 billion parameter model back in November 2023.",
    "Mistral put out a 123 billion parameter model.",
    "Qwen 7B was trained on 2.4 trillion tokens.",
    "OpenAI trained its model on 13 trillion tokens.",
    "Anthropic's model has a context window of 1 million tokens.",
    "Llama 2 70B was a solid model. Meta trained its newer models on 15 trillion tokens.",
    # serving and all-in costs: other deployments and other costs exist
    "You can actually run DeepSeek V3 for inference on a single node of 8 H200s.",
    "DeepSeek-V3 was trained on 2,048 H800 GPUs, and they serve it on the same kind of chip.",
    "The V3 training cost, if you include the salaries, was like 100 million dollars.",
    # what models will have, or have somewhere: the reference data is not every model
    "In a few years we'll probably see 10 trillion parameter models.",
    "Models today have 100 million token context windows.",
    # a name after a figure, across a clause, is not its subject
    "Most open models have a vocabulary of 32,000 tokens, though Llama 3 went to 128K.",
    "BERT was a few hundred million parameters, and GPT-2 XL was 1.5 billion.",
    "Llama 3 70B has 80 layers that Llama 2 7B doesn't have.",
    # a number with -ish, or 'a handful of', is not the bare scale word after it
    "Llama 3 saw fifteen-ish trillion tokens.",
    "Llama 3 70B is a handful of billion parameters more than Llama 2 70B.",
    # a 'that's' with its inputs in another sentence is no evidence
    "I have 8 H100s with 80 gigs each. The activations, that's 100 GB.",
    "DeepSeek V3 training used 2.8 million, which cost them a lot.",
    # a vague figure not far past its span is loose, not wrong
    "DeepSeek V3 is a few hundred billion parameters, like 600-something.",
    "GPT-2 Small was like a couple of hundred million parameters.",
    # a model the reference data lacks, named by its maker or family
    "Meta's Chameleon 34B was trained on about 10 trillion tokens.",
    "Mistral's 12B model has a 128K context window.",
    # a figure corrected at once; a second result from figures already used
    "Llama 3 8B has an 8K context, no, 128K.",
    "The dataset is 15 trillion tokens at about 4 bytes per token, so that's 60 terabytes, and compressed that's 20 terabytes.",
    # second review: models that disagree, words that are not money, precision words, open families
    "Gemini 1.5 has a 2 million token context window.",
    "In training DeepSeek V3 they raised the context to 1 million.",
    "DeepSeek V3's training data is worth about 2 million.",
    "Llama 3 70B works at a byte level, and its weights take 140 gigabytes.",
    "Mistral's 12B has 12 billion parameters.",
    "Mistral released a model with 123 billion parameters.",
    "Llama 4 has 288 billion active parameters.",
])
def test_no_flag_without_evidence(check_text, text):
    ep = check_text(text)
    flags = [(c.quote, k.notes) for c, k in zip(ep.claims, ep.checks) if k.verdict == "mismatch"]
    assert flags == []


@pytest.mark.parametrize("text,quote", [
    ("The Rabbit R1 has 128 gigabytes of storage.", "128 gigabytes"),
    ("Google's V3 TPU pods have 1,024 chips for training.", "1,024 chips"),
])
def test_a_short_name_of_no_family_under_discussion_names_nothing(check_text, text, quote):
    c, _ = claim(check_text(text), quote)
    assert c.subject is None or not c.subject.name.startswith("DeepSeek")


def test_a_short_name_said_without_a_figure_moves_the_topic(check_text):
    text = "DeepSeek-V3 was pre-trained on 2,048 GPUs. They did not discuss R1. And R1 training used 10,000 GPUs, they say."
    c, k = claim(check_text(text), "10,000 GPUs")
    assert c.subject.name == "DeepSeek-R1" and k.verdict == "unverifiable"


@pytest.mark.parametrize("text,quote", [
    ("Llama 3.1 405B at one byte per parameter is 405 gigabytes.", "405 gigabytes"),
    ("Llama 3.1 405B at eight bits is about 405 gigabytes.", "about 405 gigabytes"),
    ("Llama 3 70B at four bits is 35 gigabytes.", "35 gigabytes"),
    ("Llama 3 70B at half a byte per parameter is 35 gigabytes.", "35 gigabytes"),
])
def test_a_precision_said_in_words_is_the_precision(check_text, text, quote):
    ep = check_text(text)
    c, k = claim(ep, quote)
    assert k.verdict == "consistent" and [x.quote for x in ep.claims] == [quote]


@pytest.mark.parametrize("text", [
    "You get a 100 x speedup, basically, with 40 gigabytes instead of 80.",
    "The brain is basically a 100 trillion parameter model running on 20 watts.",
])
def test_a_hundred_said_as_a_number_is_no_a100(check_text, text):
    ep = check_text(text)
    assert all(c.hardware is None and k.verdict != "mismatch" for c, k in zip(ep.claims, ep.checks))


def test_a_maker_and_a_size_several_models_have_is_checked_against_them(check_text):
    c, k = claim(check_text("Meta's 70B model has 80 layers."), "80 layers")
    assert c.subject.name == "Meta" and k.verdict == "consistent"


@pytest.mark.parametrize("text,quote,verdict", [
    ("Llama 3.1 405B has 405 billion parameters, I mean, it's huge.", "405 billion parameters", "consistent"),
    ("We talked about GPT-3 for a while. With 405 billion parameters, Llama 3.1 405B is huge.", "405 billion parameters",
     "consistent"),
    ("A 100 billion parameter model is big.", "100 billion parameter", "unverifiable"),
    ("You can serve a 100 tokens per second on this.", "100 tokens per second", "unverifiable"),
])
def test_true_claims_are_kept(check_text, text, quote, verdict):
    c, k = claim(check_text(text), quote)
    assert k.verdict == verdict and c.hardware is None
