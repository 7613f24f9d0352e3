// Shows only the fields the chosen transaction type uses.
(function () {
  'use strict';
  document.querySelectorAll('[data-type-select]').forEach(function (select) {
    var form = select.closest('form');
    function apply() {
      form.querySelectorAll('[data-types]').forEach(function (field) {
        var used = field.getAttribute('data-types').split(' ').indexOf(select.value) >= 0;
        field.hidden = !used;
      });
    }
    select.addEventListener('change', apply);
    apply();
  });
})();
