using System.ComponentModel.DataAnnotations;
using FinSight.Web.Data;
using FinSight.Web.Features.Accounts;
using FinSight.Web.Ui;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FinSight.Web.Pages.Account;

public sealed class SignUpModel(FinSightDbContext db, IPasswordHasher<User> hasher, TimeProvider clock) : PageModel
{
    [BindProperty, Display(Name = "Your name")]
    public string? Name { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty, DataType(DataType.Password), Display(Name = "Password (8 or more characters)")]
    public string? Password { get; set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // The API's own handler: the same rules, messages and uniqueness checks.
        var result = (await AccountsApi.Signup(new SignupRequest(Name, Username, Email, Password), db, hasher, clock, ct)).Result;
        if (result is Created<UserResponse> created)
        {
            var user = await db.Users.FindAsync([created.Value!.Id], ct);
            await UiSignIn.SignInAsync(HttpContext, user!);
            return Redirect("/");
        }
        if (result is ProblemHttpResult { ProblemDetails.Extensions: var ext } problem && ext.TryGetValue("field", out var field) && field is string name)
        {
            ModelState.AddModelError(Field(name), problem.ProblemDetails.Detail ?? "Already taken.");
            return Page();
        }
        foreach (var (key, messages) in HandlerResult.Errors(result))
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError(Field(key), message);
            }
        }
        return Page();
    }

    private static string Field(string key) => key switch
    {
        "name" => nameof(Name),
        "username" => nameof(Username),
        "email" => nameof(Email),
        "password" => nameof(Password),
        _ => "",
    };
}
