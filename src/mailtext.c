/*
 * mailtext.c: mail templates in four languages (see mailtext.h). Text is
 * plain; mail_text_to_html makes the HTML part from it, so each message is
 * written once per language.
 */
#include <string.h>

#include "mailtext.h"

struct template {
	const char *subject;
	const char *text;
};

const char *const mail_kind_names[MAIL__MAX] = {
	[MAIL_PLEDGE_CONFIRM] = "pledge_confirm",
	[MAIL_PLEDGE_ALREADY] = "pledge_already",
	[MAIL_PLEDGE_ALREADY_PENDING] = "pledge_already_pending",
};

static const struct template templates[MAIL__MAX][LANG__MAX] = {
	[MAIL_PLEDGE_CONFIRM] = {
		[LANG_ES] = { "Confirma tu compromiso con la movilidad eléctrica",
		    "Hola, {name}:\n\n"
		    "Gracias por sumar tu compromiso a «{campaign}». Para que "
		    "cuente, confírmalo abriendo este enlace (válido durante 7 "
		    "días) y pulsando el botón «Confirmar»:\n\n{link}\n\n"
		    "Si no fuiste tú, ignora este mensaje: sin confirmación no "
		    "se registra nada.\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Confirm your electric mobility pledge",
		    "Hello {name},\n\n"
		    "Thank you for adding your commitment to “{campaign}”. To "
		    "make it count, open this link (valid for 7 days) and press "
		    "the “Confirm” button:\n\n{link}\n\n"
		    "If this wasn’t you, just ignore this message: nothing is "
		    "recorded without confirmation.\n\n— The I COMMIT team\n" },
		[LANG_PT] = { "Confirme o seu compromisso com a mobilidade elétrica",
		    "Olá, {name}!\n\n"
		    "Obrigado por somar o seu compromisso a «{campaign}». Para "
		    "que ele conte, abra este link (válido por 7 dias) e clique "
		    "no botão «Confirmar»:\n\n{link}\n\n"
		    "Se não foi você, ignore esta mensagem: nada é registrado "
		    "sem confirmação.\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Confirmez votre engagement pour la mobilité électrique",
		    "Bonjour {name},\n\n"
		    "Merci d’avoir ajouté votre engagement à « {campaign} ». "
		    "Pour qu’il compte, ouvrez ce lien (valable 7 jours) et "
		    "cliquez sur le bouton « Confirmer » :\n\n{link}\n\n"
		    "Si ce n’était pas vous, ignorez ce message : rien n’est "
		    "enregistré sans confirmation.\n\n— L’équipe I COMMIT\n" },
	},
	[MAIL_PLEDGE_ALREADY] = {
		[LANG_ES] = { "Tu compromiso ya está registrado",
		    "Hola:\n\n"
		    "Alguien (probablemente tú) intentó registrar otra vez un "
		    "compromiso con esta dirección en «{campaign}». Tu "
		    "compromiso ya está registrado y confirmado: no hace falta "
		    "hacer nada más. ¡Gracias!\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Your pledge is already recorded",
		    "Hello,\n\n"
		    "Someone (probably you) tried to pledge again with this "
		    "address in “{campaign}”. Your pledge is already recorded "
		    "and confirmed: there is nothing more to do. Thank you!\n\n"
		    "— The I COMMIT team\n" },
		[LANG_PT] = { "O seu compromisso já está registrado",
		    "Olá!\n\n"
		    "Alguém (provavelmente você) tentou registrar novamente um "
		    "compromisso com este endereço em «{campaign}». O seu "
		    "compromisso já está registrado e confirmado: não é preciso "
		    "fazer mais nada. Obrigado!\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Votre engagement est déjà enregistré",
		    "Bonjour,\n\n"
		    "Quelqu’un (sans doute vous) a tenté d’enregistrer à "
		    "nouveau un engagement avec cette adresse dans « {campaign} "
		    "». Votre engagement est déjà enregistré et confirmé : il "
		    "n’y a rien d’autre à faire. Merci !\n\n"
		    "— L’équipe I COMMIT\n" },
	},
	[MAIL_PLEDGE_ALREADY_PENDING] = {
		[LANG_ES] = { "Tu compromiso ya está registrado: falta confirmarlo",
		    "Hola:\n\n"
		    "Alguien (probablemente tú) intentó registrar otra vez un "
		    "compromiso con esta dirección en «{campaign}». Ya lo "
		    "tenemos, pero aún no está confirmado. Confírmalo con este "
		    "enlace (válido durante 7 días):\n\n{link}\n\n"
		    "Si no fuiste tú, ignora este mensaje.\n\n"
		    "— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Your pledge is recorded: please confirm it",
		    "Hello,\n\n"
		    "Someone (probably you) tried to pledge again with this "
		    "address in “{campaign}”. We already have your pledge, but "
		    "it is not confirmed yet. Confirm it with this link (valid "
		    "for 7 days):\n\n{link}\n\n"
		    "If this wasn’t you, just ignore this message.\n\n"
		    "— The I COMMIT team\n" },
		[LANG_PT] = { "O seu compromisso está registrado: falta confirmar",
		    "Olá!\n\n"
		    "Alguém (provavelmente você) tentou registrar novamente um "
		    "compromisso com este endereço em «{campaign}». Já o temos, "
		    "mas ainda não foi confirmado. Confirme-o com este link "
		    "(válido por 7 dias):\n\n{link}\n\n"
		    "Se não foi você, ignore esta mensagem.\n\n"
		    "— A equipe I COMMIT\n" },
		[LANG_FR] = { "Votre engagement est enregistré : confirmez-le",
		    "Bonjour,\n\n"
		    "Quelqu’un (sans doute vous) a tenté d’enregistrer à "
		    "nouveau un engagement avec cette adresse dans « {campaign} "
		    "». Nous l’avons déjà, mais il n’est pas encore confirmé. "
		    "Confirmez-le avec ce lien (valable 7 jours) :\n\n{link}\n\n"
		    "Si ce n’était pas vous, ignorez ce message.\n\n"
		    "— L’équipe I COMMIT\n" },
	},
};

/* Replaces {name}, {campaign} and {link} in tmpl. */
static const char *
fill(struct arena *arena, const char *tmpl, const struct mail_vars *v)
{
	static const char *const keys[] = { "{name}", "{campaign}", "{link}" };
	const char *vals[] = { v->name, v->campaign, v->link };
	size_t	    len = strlen(tmpl) + 1, o = 0;
	char	   *out;

	for (size_t k = 0; k < 3; k++)
		if (vals[k] != NULL)
			for (const char *p = strstr(tmpl, keys[k]); p;
			    p = strstr(p + 1, keys[k]))
				len += strlen(vals[k]);
	out = arena_alloc(arena, len);
	while (*tmpl) {
		size_t k;

		for (k = 0; k < 3; k++)
			if (strncmp(tmpl, keys[k], strlen(keys[k])) == 0)
				break;
		if (k < 3) {
			const char *val = vals[k] ? vals[k] : "";

			memcpy(out + o, val, strlen(val));
			o += strlen(val);
			tmpl += strlen(keys[k]);
		} else
			out[o++] = *tmpl++;
	}
	out[o] = '\0';
	return out;
}

void
mailtext_render(struct arena *arena, enum mail_kind kind, enum lang lang,
    const struct mail_vars *vars, const char **subject, const char **text)
{
	const struct template *t = &templates[kind][lang];

	*subject = fill(arena, t->subject, vars);
	*text = fill(arena, t->text, vars);
}
