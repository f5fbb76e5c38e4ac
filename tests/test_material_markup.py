from material_markup import fix_markup


def test_fixes_the_three_markup_errors_and_is_idempotent():
    page = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
            '<label class="md-nav__link" for="__nav_4" id="__nav_4_label" tabindex="">'
            '<label class="md-nav__title" for="__toc">')
    fixed = fix_markup(page)
    assert fixed == ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
                     '<label class="md-nav__link" for="__nav_4" id="__nav_4_label">'
                     '<label class="md-nav__title">')
    assert fix_markup(fixed) == fixed


def test_keeps_the_toc_label_when_its_toggle_exists():
    page = '<input type="checkbox" id="__toc"><label for="__toc">'
    assert fix_markup(page) == page
