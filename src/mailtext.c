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
	[MAIL_EVENT_REGISTERED] = "event_registered",
	[MAIL_EVENT_WAITLISTED] = "event_waitlisted",
	[MAIL_EVENT_PROMOTED] = "event_promoted",
	[MAIL_EVENT_CANCELLED] = "event_cancelled",
	[MAIL_EVENT_REMINDER] = "event_reminder",
	[MAIL_NEWSLETTER_CONFIRM] = "newsletter_confirm",
	[MAIL_NEWSLETTER_ALREADY] = "newsletter_already",
	[MAIL_NEWSLETTER_ISSUE] = "newsletter",
	[MAIL_PRIVACY_LINK] = "privacy_link",
	[MAIL_PRIVACY_ERASED] = "privacy_erased",
	[MAIL_COMMENT_NOTIFY] = "comment_notify",
	[MAIL_CONSULTANT_CONFIRM] = "consultant_confirm",
};

const bool mail_kind_limited[MAIL__MAX] = {
	[MAIL_PLEDGE_CONFIRM] = true,
	[MAIL_PLEDGE_ALREADY] = true,
	[MAIL_PLEDGE_ALREADY_PENDING] = true,
	[MAIL_NEWSLETTER_CONFIRM] = true,
	[MAIL_NEWSLETTER_ALREADY] = true,
	[MAIL_PRIVACY_LINK] = true,
	[MAIL_CONSULTANT_CONFIRM] = true,
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
	[MAIL_EVENT_REGISTERED] = {
		[LANG_ES] = { "Inscripción confirmada: {event}",
		    "Hola, {name}:\n\nTu lugar en «{event}» está reservado. "
		    "Empieza el {when}. Adjuntamos el evento para tu "
		    "calendario.\n\nSi no puedes asistir, libera tu lugar para "
		    "otra persona con este enlace:\n\n{link}\n\n"
		    "— El equipo de I COMMIT\n" },
		[LANG_EN] = { "You are registered: {event}",
		    "Hello {name},\n\nYour seat at “{event}” is booked. It "
		    "starts on {when}. The event is attached for your "
		    "calendar.\n\nIf you cannot come, please free your seat "
		    "for someone else with this link:\n\n{link}\n\n"
		    "— The I COMMIT team\n" },
		[LANG_PT] = { "Inscrição confirmada: {event}",
		    "Olá, {name}!\n\nO seu lugar em «{event}» está reservado. "
		    "Começa em {when}. O evento segue em anexo para a sua "
		    "agenda.\n\nSe não puder comparecer, libere o seu lugar "
		    "para outra pessoa com este link:\n\n{link}\n\n"
		    "— A equipe I COMMIT\n" },
		[LANG_FR] = { "Inscription confirmée : {event}",
		    "Bonjour {name},\n\nVotre place à « {event} » est "
		    "réservée. L’événement commence le {when}. Vous le trouverez "
		    "en pièce jointe pour votre agenda.\n\nSi vous ne pouvez "
		    "pas venir, libérez votre place pour quelqu’un d’autre avec "
		    "ce lien :\n\n{link}\n\n— L’équipe I COMMIT\n" },
	},
	[MAIL_EVENT_WAITLISTED] = {
		[LANG_ES] = { "Estás en la lista de espera: {event}",
		    "Hola, {name}:\n\n«{event}» está completo y te hemos "
		    "puesto en la lista de espera, en el puesto {position}. Si "
		    "se libera un lugar, te escribiremos.\n\nPara salir de la "
		    "lista de espera:\n\n{link}\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "You are on the waitlist: {event}",
		    "Hello {name},\n\n“{event}” is full, so you are on the "
		    "waitlist, in position {position}. We will write to you if "
		    "a seat frees up.\n\nTo leave the waitlist:\n\n{link}\n\n"
		    "— The I COMMIT team\n" },
		[LANG_PT] = { "Você está na lista de espera: {event}",
		    "Olá, {name}!\n\n«{event}» está lotado e você entrou na "
		    "lista de espera, na posição {position}. Se um lugar for "
		    "liberado, avisaremos você.\n\nPara sair da lista de "
		    "espera:\n\n{link}\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Vous êtes sur liste d’attente : {event}",
		    "Bonjour {name},\n\n« {event} » est complet : vous êtes "
		    "sur la liste d’attente, en position {position}. Nous vous "
		    "écrirons si une place se libère.\n\nPour quitter la liste "
		    "d’attente :\n\n{link}\n\n— L’équipe I COMMIT\n" },
	},
	[MAIL_EVENT_PROMOTED] = {
		[LANG_ES] = { "¡Se liberó un lugar! {event}",
		    "Hola, {name}:\n\nSe liberó un lugar en «{event}» y ahora "
		    "es tuyo. Empieza el {when}. Adjuntamos el evento para tu "
		    "calendario.\n\nSi ya no puedes asistir:\n\n{link}\n\n"
		    "— El equipo de I COMMIT\n" },
		[LANG_EN] = { "A seat is yours: {event}",
		    "Hello {name},\n\nA seat freed up at “{event}” and it is "
		    "now yours. It starts on {when}. The event is attached for "
		    "your calendar.\n\nIf you can no longer come:\n\n{link}\n\n"
		    "— The I COMMIT team\n" },
		[LANG_PT] = { "Um lugar é seu: {event}",
		    "Olá, {name}!\n\nUm lugar foi liberado em «{event}» e "
		    "agora é seu. Começa em {when}. O evento segue em anexo "
		    "para a sua agenda.\n\nSe não puder mais comparecer:\n\n"
		    "{link}\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Une place vous attend : {event}",
		    "Bonjour {name},\n\nUne place s’est libérée à « {event} » "
		    "et elle est à vous. L’événement commence le {when}. Vous "
		    "le trouverez en pièce jointe pour votre agenda.\n\nSi "
		    "vous ne pouvez plus venir :\n\n{link}\n\n"
		    "— L’équipe I COMMIT\n" },
	},
	[MAIL_EVENT_CANCELLED] = {
		[LANG_ES] = { "Inscripción cancelada: {event}",
		    "Hola, {name}:\n\nHemos cancelado tu inscripción en "
		    "«{event}». Gracias por avisar: tu lugar es ahora de otra "
		    "persona.\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Registration cancelled: {event}",
		    "Hello {name},\n\nYour registration for “{event}” is "
		    "cancelled. Thank you for letting us know: your seat can go "
		    "to someone else.\n\n— The I COMMIT team\n" },
		[LANG_PT] = { "Inscrição cancelada: {event}",
		    "Olá, {name}!\n\nA sua inscrição em «{event}» foi "
		    "cancelada. Obrigado por avisar: o seu lugar pode ir para "
		    "outra pessoa.\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Inscription annulée : {event}",
		    "Bonjour {name},\n\nVotre inscription à « {event} » est "
		    "annulée. Merci de nous avoir prévenus : votre place peut "
		    "revenir à quelqu’un d’autre.\n\n— L’équipe I COMMIT\n" },
	},
	[MAIL_EVENT_REMINDER] = {
		[LANG_ES] = { "Recordatorio: {event}",
		    "Hola, {name}:\n\nTe recordamos que «{event}» empieza el "
		    "{when}. ¡Te esperamos!\n\nSi no puedes asistir, libera tu "
		    "lugar:\n\n{link}\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Reminder: {event}",
		    "Hello {name},\n\nA reminder that “{event}” starts on "
		    "{when}. See you there!\n\nIf you cannot come, please free "
		    "your seat:\n\n{link}\n\n— The I COMMIT team\n" },
		[LANG_PT] = { "Lembrete: {event}",
		    "Olá, {name}!\n\nLembramos que «{event}» começa em {when}. "
		    "Esperamos por você!\n\nSe não puder comparecer, libere o "
		    "seu lugar:\n\n{link}\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Rappel : {event}",
		    "Bonjour {name},\n\nPetit rappel : « {event} » commence le "
		    "{when}. À bientôt !\n\nSi vous ne pouvez pas venir, "
		    "libérez votre place :\n\n{link}\n\n"
		    "— L’équipe I COMMIT\n" },
	},
	[MAIL_NEWSLETTER_CONFIRM] = {
		[LANG_ES] = { "Confirma tu suscripción al boletín de I COMMIT",
		    "Hola:\n\n"
		    "Recibimos una solicitud para suscribir esta dirección al "
		    "boletín de I COMMIT sobre movilidad eléctrica. Para "
		    "confirmarla, abre este enlace (válido durante 7 días) y "
		    "pulsa el botón «Confirmar»:\n\n{link}\n\n"
		    "Si no fuiste tú, ignora este mensaje: sin confirmación no "
		    "recibirás nada.\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Confirm your subscription to the I COMMIT newsletter",
		    "Hello,\n\n"
		    "We received a request to subscribe this address to the "
		    "I COMMIT newsletter on electric mobility. To confirm it, "
		    "open this link (valid for 7 days) and press the “Confirm” "
		    "button:\n\n{link}\n\n"
		    "If this wasn’t you, just ignore this message: without "
		    "confirmation you will get nothing.\n\n— The I COMMIT team\n" },
		[LANG_PT] = { "Confirme a sua inscrição no boletim I COMMIT",
		    "Olá!\n\n"
		    "Recebemos um pedido para inscrever este endereço no "
		    "boletim I COMMIT sobre mobilidade elétrica. Para "
		    "confirmar, abra este link (válido por 7 dias) e clique no "
		    "botão «Confirmar»:\n\n{link}\n\n"
		    "Se não foi você, ignore esta mensagem: sem confirmação "
		    "você não receberá nada.\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Confirmez votre abonnement à la lettre d’I COMMIT",
		    "Bonjour,\n\n"
		    "Nous avons reçu une demande d’abonnement de cette adresse "
		    "à la lettre d’information d’I COMMIT sur la mobilité "
		    "électrique. Pour la confirmer, ouvrez ce lien (valable "
		    "7 jours) et cliquez sur le bouton « Confirmer » :\n\n"
		    "{link}\n\n"
		    "Si ce n’était pas vous, ignorez ce message : sans "
		    "confirmation, vous ne recevrez rien.\n\n"
		    "— L’équipe I COMMIT\n" },
	},
	[MAIL_NEWSLETTER_ALREADY] = {
		[LANG_ES] = { "Ya estás suscrito al boletín de I COMMIT",
		    "Hola:\n\n"
		    "Alguien (probablemente tú) pidió otra vez suscribir esta "
		    "dirección al boletín de I COMMIT. Ya estás suscrito: no "
		    "hace falta hacer nada más. Cada boletín incluye un enlace "
		    "para darte de baja.\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "You already receive the I COMMIT newsletter",
		    "Hello,\n\n"
		    "Someone (probably you) asked again to subscribe this "
		    "address to the I COMMIT newsletter. You are already "
		    "subscribed: there is nothing more to do. Every issue "
		    "carries a link to unsubscribe.\n\n— The I COMMIT team\n" },
		[LANG_PT] = { "Você já recebe o boletim I COMMIT",
		    "Olá!\n\n"
		    "Alguém (provavelmente você) pediu novamente para inscrever "
		    "este endereço no boletim I COMMIT. Você já está inscrito: "
		    "não é preciso fazer mais nada. Cada boletim traz um link "
		    "para cancelar a inscrição.\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Vous recevez déjà la lettre d’I COMMIT",
		    "Bonjour,\n\n"
		    "Quelqu’un (sans doute vous) a de nouveau demandé "
		    "l’abonnement de cette adresse à la lettre d’I COMMIT. "
		    "Vous êtes déjà abonné : il n’y a rien d’autre à faire. "
		    "Chaque lettre contient un lien de désabonnement.\n\n"
		    "— L’équipe I COMMIT\n" },
	},
	[MAIL_PRIVACY_LINK] = {
		[LANG_ES] = { "Tus datos personales en I COMMIT",
		    "Hola:\n\n"
		    "Pediste ver o borrar los datos que I COMMIT guarda sobre "
		    "esta dirección. Abre este enlace (válido durante 24 "
		    "horas) para descargarlos o borrarlos:\n\n{link}\n\n"
		    "Si no fuiste tú, ignora este mensaje: nadie puede usar el "
		    "enlace sin acceso a tu correo.\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Your personal data at I COMMIT",
		    "Hello,\n\n"
		    "You asked to see or erase the data I COMMIT holds about "
		    "this address. Open this link (valid for 24 hours) to "
		    "download or erase it:\n\n{link}\n\n"
		    "If this wasn’t you, just ignore this message: nobody can "
		    "use the link without access to your mailbox.\n\n"
		    "— The I COMMIT team\n" },
		[LANG_PT] = { "Os seus dados pessoais no I COMMIT",
		    "Olá!\n\n"
		    "Você pediu para ver ou apagar os dados que o I COMMIT "
		    "guarda sobre este endereço. Abra este link (válido por 24 "
		    "horas) para baixá-los ou apagá-los:\n\n{link}\n\n"
		    "Se não foi você, ignore esta mensagem: ninguém pode usar o "
		    "link sem acesso ao seu e-mail.\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Vos données personnelles chez I COMMIT",
		    "Bonjour,\n\n"
		    "Vous avez demandé à consulter ou effacer les données "
		    "qu’I COMMIT conserve sur cette adresse. Ouvrez ce lien "
		    "(valable 24 heures) pour les télécharger ou les "
		    "effacer :\n\n{link}\n\n"
		    "Si ce n’était pas vous, ignorez ce message : personne ne "
		    "peut utiliser le lien sans accès à votre messagerie.\n\n"
		    "— L’équipe I COMMIT\n" },
	},
	[MAIL_PRIVACY_ERASED] = {
		[LANG_ES] = { "Tus datos fueron borrados de I COMMIT",
		    "Hola:\n\n"
		    "Como pediste, borramos tu nombre, tu dirección y los demás "
		    "datos personales asociados a esta dirección. Tus "
		    "compromisos siguen contando en los totales de la campaña, "
		    "de forma anónima. Este es el último mensaje que te "
		    "enviamos.\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Your data was erased from I COMMIT",
		    "Hello,\n\n"
		    "As you asked, we erased your name, your address and the "
		    "other personal data linked to this address. Your pledges "
		    "still count in the campaign totals, anonymously. This is "
		    "the last message we send you.\n\n— The I COMMIT team\n" },
		[LANG_PT] = { "Os seus dados foram apagados do I COMMIT",
		    "Olá!\n\n"
		    "Como você pediu, apagamos o seu nome, o seu endereço e os "
		    "demais dados pessoais ligados a este endereço. Os seus "
		    "compromissos continuam a contar nos totais da campanha, de "
		    "forma anônima. Esta é a última mensagem que enviamos a "
		    "você.\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Vos données ont été effacées d’I COMMIT",
		    "Bonjour,\n\n"
		    "Comme vous l’avez demandé, nous avons effacé votre nom, "
		    "votre adresse et les autres données personnelles liées à "
		    "cette adresse. Vos engagements comptent toujours, "
		    "anonymement, dans les totaux de la campagne. C’est le "
		    "dernier message que nous vous envoyons.\n\n"
		    "— L’équipe I COMMIT\n" },
	},
	/* comments and consultants */
	[MAIL_COMMENT_NOTIFY] = {
		[LANG_ES] = { "Nuevo comentario ({topic})",
		    "Llegó un comentario por la página de contacto.\n\n"
		    "Tema: {topic}\nNombre: {name}\nCorreo: {email}\n\n"
		    "{message}\n\nMárcalo como atendido en la consola:\n"
		    "{link}\n" },
		[LANG_EN] = { "New comment ({topic})",
		    "A comment came in through the contact page.\n\n"
		    "Topic: {topic}\nName: {name}\nE-mail: {email}\n\n"
		    "{message}\n\nMark it handled in the console:\n{link}\n" },
		[LANG_PT] = { "Novo comentário ({topic})",
		    "Chegou um comentário pela página de contato.\n\n"
		    "Tema: {topic}\nNome: {name}\nE-mail: {email}\n\n"
		    "{message}\n\nMarque-o como atendido no console:\n"
		    "{link}\n" },
		[LANG_FR] = { "Nouveau commentaire ({topic})",
		    "Un commentaire est arrivé par la page de contact.\n\n"
		    "Sujet : {topic}\nNom : {name}\nCourriel : {email}\n\n"
		    "{message}\n\nMarquez-le comme traité dans la console :\n"
		    "{link}\n" },
	},
	[MAIL_CONSULTANT_CONFIRM] = {
		[LANG_ES] = { "Confirma tu registro como consultor o consultora",
		    "Hola, {name}:\n\n"
		    "Gracias por ofrecer tu experiencia a la campaña I COMMIT. "
		    "Para que tu perfil entre (o se actualice) en nuestra lista "
		    "de consultores, abre este enlace (válido durante 7 días) y "
		    "pulsa el botón «Confirmar»:\n\n{link}\n\n"
		    "Si no fuiste tú, ignora este mensaje: sin confirmación no "
		    "se guarda nada.\n\n— El equipo de I COMMIT\n" },
		[LANG_EN] = { "Confirm your registration as a consultant",
		    "Hello {name},\n\n"
		    "Thank you for offering your expertise to the I COMMIT "
		    "campaign. To add (or update) your profile in our roster of "
		    "consultants, open this link (valid for 7 days) and press "
		    "the “Confirm” button:\n\n{link}\n\n"
		    "If this wasn’t you, just ignore this message: nothing is "
		    "kept without confirmation.\n\n— The I COMMIT team\n" },
		[LANG_PT] = { "Confirme o seu cadastro como consultor ou consultora",
		    "Olá, {name}!\n\n"
		    "Obrigado por oferecer a sua experiência à campanha I "
		    "COMMIT. Para que o seu perfil entre (ou seja atualizado) na "
		    "nossa lista de consultores, abra este link (válido por 7 "
		    "dias) e clique no botão «Confirmar»:\n\n{link}\n\n"
		    "Se não foi você, ignore esta mensagem: nada é guardado sem "
		    "confirmação.\n\n— A equipe I COMMIT\n" },
		[LANG_FR] = { "Confirmez votre inscription comme consultant·e",
		    "Bonjour {name},\n\n"
		    "Merci de proposer votre expertise à la campagne I COMMIT. "
		    "Pour que votre profil entre (ou soit mis à jour) dans notre "
		    "liste de consultants, ouvrez ce lien (valable 7 jours) et "
		    "cliquez sur le bouton « Confirmer » :\n\n{link}\n\n"
		    "Si ce n’était pas vous, ignorez ce message : rien n’est "
		    "conservé sans confirmation.\n\n— L’équipe I COMMIT\n" },
	},
};

/* Replaces the {placeholders} of struct mail_vars in tmpl: text up to each
 * '{' is copied in one piece; a '{' that starts no placeholder is text. */
static const char *
fill(struct arena *arena, const char *tmpl, const struct mail_vars *v)
{
	static const struct {
		const char *key;
		size_t	    len;
	} keys[] = {
#define KEY(k) { k, sizeof(k) - 1 }
		KEY("{name}"), KEY("{campaign}"), KEY("{link}"),
		KEY("{event}"), KEY("{when}"), KEY("{position}"),
		KEY("{topic}"), KEY("{email}"), KEY("{message}"),
#undef KEY
	};
	const char *vals[] = { v->name, v->campaign, v->link, v->event,
		v->when, v->position,
		v->topic, v->email, v->message };
	const size_t nkeys = sizeof(keys) / sizeof(keys[0]);
	size_t	    vlen[sizeof(vals) / sizeof(vals[0])];
	size_t	    len = strlen(tmpl) + 1, o = 0;
	char	   *out;

	for (size_t k = 0; k < nkeys; k++) {
		vlen[k] = vals[k] != NULL ? strlen(vals[k]) : 0;
		for (const char *p = strstr(tmpl, keys[k].key); p;
		    p = strstr(p + 1, keys[k].key))
			len += vlen[k];
	}
	out = arena_alloc(arena, len);
	for (;;) {
		const char *brace = strchr(tmpl, '{');
		size_t	    n = brace != NULL ? (size_t)(brace - tmpl) :
		    strlen(tmpl), k;

		memcpy(out + o, tmpl, n);
		o += n;
		tmpl += n;
		if (brace == NULL)
			break;
		for (k = 0; k < nkeys; k++)
			if (strncmp(tmpl, keys[k].key, keys[k].len) == 0)
				break;
		if (k < nkeys) {
			if (vlen[k] > 0)
				memcpy(out + o, vals[k], vlen[k]);
			o += vlen[k];
			tmpl += keys[k].len;
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
