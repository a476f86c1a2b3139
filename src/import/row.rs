//! The raw record every input format is read into: one group as the source file says
//! it, nothing checked yet, and the column names each field is recognised by.

/// One record of the source, as written there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Where it is in the source, for messages: "line 12" or "record 3".
    pub at: String,
    /// The listing address, when the source is an aidmap export.
    pub slug: Option<String>,
    /// The group's name.
    pub name: Option<String>,
    /// One line about the group.
    pub summary: Option<String>,
    /// A place name ("Ripon, North Yorkshire").
    pub place: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// A postcode, district or sector.
    pub postcode: Option<String>,
    /// Postcode districts and sectors covered.
    pub areas: Vec<String>,
    /// Web, Facebook and WhatsApp links, sorted by host later.
    pub links: Vec<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// When someone answers.
    pub hours: Option<String>,
    /// Kinds of help, by key or by label.
    pub help: Vec<String>,
    /// Languages, by code or name.
    pub languages: Vec<String>,
    /// Running, paused or closed, in the source's words.
    pub status: Option<String>,
    /// When someone last confirmed the group runs.
    pub last_checked: Option<String>,
    /// When the group was first listed.
    pub added: Option<String>,
    /// Longer text (Markdown, or the sanitised HTML of an aidmap export).
    pub description: Option<String>,
}

/// What a column (or a JSON key) holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `slug`.
    Slug,
    /// `name`, `group name`, `title`.
    Name,
    /// `summary`.
    Summary,
    /// `place`, `location`, `town`, `city`, `location name`.
    Place,
    /// `lat`, `latitude`.
    Lat,
    /// `lon`, `lng`, `long`, `longitude`.
    Lon,
    /// `postcode`, `post code`, `postal code`.
    Postcode,
    /// `areas`, `districts`, `postcode districts`, `coverage`.
    Areas,
    /// `url`, `link`, `links`, `website`, `facebook`, `facebook group`, `whatsapp`.
    Link,
    /// `phone`, `telephone`, `tel`, `phone number`.
    Phone,
    /// `email`, `emails`, `e-mail`, `email address`.
    Email,
    /// `hours`, `opening hours`.
    Hours,
    /// `help`, `help offered`, `services`.
    Help,
    /// `languages`, `language`.
    Languages,
    /// `status`.
    Status,
    /// `last checked`, `last_checked`, `checked`, `last verified`, `assured date`.
    LastChecked,
    /// `added`, `date added`.
    Added,
    /// `description`, `description_html`, `about`.
    Description,
    /// `contact`: a phone, an e-mail address or a link, told apart by its look.
    Contact,
}

/// The field a column name means, in its usual spellings (case, spaces, `_` and `-`
/// aside); `None` for a column aidmap does not use.
pub fn field(header: &str) -> Option<Field> {
    let key: String = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    Some(match key.as_str() {
        "slug" => Field::Slug,
        "name" | "groupname" | "title" | "organisation" | "organization" => Field::Name,
        "summary" => Field::Summary,
        "place" | "location" | "locationname" | "town" | "city" | "village" | "placename" => {
            Field::Place
        }
        "lat" | "latitude" => Field::Lat,
        "lon" | "lng" | "long" | "longitude" => Field::Lon,
        "postcode" | "postalcode" | "zip" => Field::Postcode,
        "areas" | "districts" | "postcodedistricts" | "coverage" => Field::Areas,
        "url" | "link" | "links" | "website" | "web" | "site" | "facebook" | "facebookgroup"
        | "facebookpage" | "whatsapp" | "whatsappgroup" => Field::Link,
        "phone" | "telephone" | "tel" | "phonenumber" | "mobile" => Field::Phone,
        "email" | "emails" | "emailaddress" => Field::Email,
        "hours" | "openinghours" => Field::Hours,
        "help" | "helpoffered" | "services" => Field::Help,
        "languages" | "language" => Field::Languages,
        "status" => Field::Status,
        "lastchecked" | "checked" | "lastverified" | "verified" | "assureddate" | "updated" => {
            Field::LastChecked
        }
        "added" | "dateadded" => Field::Added,
        "description" | "descriptionhtml" | "about" => Field::Description,
        "contact" => Field::Contact,
        _ => return None,
    })
}

/// The items of a list cell: separated by `;`, `,` or line breaks.
fn items(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split([';', ',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

impl Row {
    /// Puts one cell's text into the field it belongs to; empty cells are no value.
    pub fn set(&mut self, field: Field, value: &str) {
        // A description keeps its ending: the HTML of an aidmap export ends in a line
        // break, and so does its page.
        if field == Field::Description && !value.trim().is_empty() && self.description.is_none() {
            self.description = Some(value.trim_start().to_string());
            return;
        }
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let text = Some(value.to_string());
        let first = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = text.clone();
            }
        };
        match field {
            Field::Slug => first(&mut self.slug),
            Field::Name => first(&mut self.name),
            Field::Summary => first(&mut self.summary),
            Field::Place => first(&mut self.place),
            Field::Lat => self.lat = self.lat.or(value.parse().ok()),
            Field::Lon => self.lon = self.lon.or(value.parse().ok()),
            Field::Postcode => first(&mut self.postcode),
            Field::Areas => self.areas.extend(items(value)),
            Field::Link => self
                .links
                .extend(value.split_whitespace().map(String::from)),
            Field::Phone => first(&mut self.phone),
            Field::Email => {
                let email = value.split([';', ',', ' ']).find(|s| !s.is_empty());
                if self.email.is_none() {
                    self.email = email.map(String::from);
                }
            }
            Field::Hours => first(&mut self.hours),
            Field::Help => self.help.extend(items(value)),
            Field::Languages => self.languages.extend(items(value)),
            Field::Status => first(&mut self.status),
            Field::LastChecked => first(&mut self.last_checked),
            Field::Added => first(&mut self.added),
            Field::Description => first(&mut self.description),
            Field::Contact => {
                // A free-text contact: each word that looks like an address, a link or a
                // phone number goes where it belongs.
                for word in value.split([',', ';', '\n']).map(str::trim) {
                    if word.contains('@') && !word.contains('/') {
                        self.set(Field::Email, word);
                    } else if word.starts_with("http") || word.starts_with("www.") {
                        self.set(Field::Link, word);
                    } else if word.chars().filter(char::is_ascii_digit).count() >= 10 {
                        self.set(Field::Phone, word);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_spellings_are_recognised() {
        assert_eq!(field("Latitude"), Some(Field::Lat));
        assert_eq!(field("lng"), Some(Field::Lon));
        assert_eq!(field("Last checked"), Some(Field::LastChecked));
        assert_eq!(field("last_checked"), Some(Field::LastChecked));
        assert_eq!(field("facebook_group"), Some(Field::Link));
        assert_eq!(field("E-mail"), Some(Field::Email));
        assert_eq!(field("Town"), Some(Field::Place));
        assert_eq!(field("shoe size"), None);
        let mut r = Row::default();
        r.set(Field::Contact, "hello@example.org, 01632 960001");
        assert_eq!(r.email.as_deref(), Some("hello@example.org"));
        assert_eq!(r.phone.as_deref(), Some("01632 960001"));
    }
}
